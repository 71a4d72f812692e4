import { createReadStream } from 'node:fs';
import { csvRecords, type CsvRecord } from './csv-records.ts';

export class CsvEncodingError extends Error {
  constructor(path: string) {
    super(`${path} is not UTF-8 text: save it as "CSV UTF-8"`);
    this.name = 'CsvEncodingError';
  }
}

/** The file's text, decoded as it streams in; `onBytes` sees every raw piece first (for hashing). */
async function* utf8Text(path: string, onBytes?: (bytes: Buffer) => void): AsyncGenerator<string> {
  // Fatal, because a Windows-1252 export decoded leniently would import mangled names without a word.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const bytes of createReadStream(path)) {
      const buffer = bytes as Buffer;
      onBytes?.(buffer);
      yield decoder.decode(buffer, { stream: true });
    }
    yield decoder.decode();
  } catch (error) {
    if (error instanceof TypeError && 'code' in error && error.code === 'ERR_ENCODING_INVALID_ENCODED_DATA') throw new CsvEncodingError(path);
    throw error;
  }
}

/** The records of a CSV file, streamed: memory stays flat whatever the file's size. */
export const csvFileRecords = (path: string, onBytes?: (bytes: Buffer) => void): AsyncGenerator<CsvRecord> =>
  csvRecords(utf8Text(path, onBytes));
