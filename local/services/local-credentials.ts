/** The local emulators accept any credentials; these make it obvious none are real. */
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
