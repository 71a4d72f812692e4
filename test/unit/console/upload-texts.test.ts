import { afterEach, describe, expect, it } from 'vitest';
import { checkFile, FileRefused } from '../../../console/src/csv-upload.ts';
import { locale } from '../../../console/src/i18n.ts';
import { describeRow, refusal } from '../../../console/src/upload-texts.ts';

const file = (text: string) => new Blob([text], { type: 'text/csv' });

const refusalOf = async (text: string): Promise<string> => {
  const error: unknown = await checkFile(file(text)).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof FileRefused)) throw new Error('the file was not refused');
  return refusal(error.problem);
};

describe("the upload's words for what is wrong, in the console's language", () => {
  afterEach(() => {
    locale.value = 'en';
  });

  it('says in Russian why a row is left out, naming an attribute column as the file does', async () => {
    // GIVEN a Russian console and a file with a wrong locale, an attribute value too long and a row too wide
    locale.value = 'ru';
    const text = `email,locale,plan\nann@example.com,fr,pro\nbob@example.com,en,${'p'.repeat(101)}\ncarl@example.com,en,pro,extra\n`;
    // WHEN the file is checked with the screen's words
    const checked = await checkFile(file(text), undefined, describeRow);
    // THEN each left-out row says what is wrong in Russian (the skipped-rows file carries the same)
    expect(checked.invalid.map((r) => [r.line, r.detail])).toEqual([
      [2, 'locale: укажите en или ru или оставьте пустым'],
      [3, 'plan: длиннее 100 символов'],
      [4, 'полей: 4, а столбцов в заголовке: 3'],
    ]);
  });

  it('says the same in English', async () => {
    const checked = await checkFile(file('email,plan\nann@example.com,' + 'p'.repeat(101) + '\n'), undefined, describeRow);
    expect(checked.invalid.map((r) => r.detail)).toEqual(['plan: longer than 100 characters']);
  });

  it('explains a file it cannot use at all in Russian, with the line or the column', async () => {
    locale.value = 'ru';
    expect(await refusalOf('email\n"never closed\n')).toBe('Файл не читается в строке 2: кавычка в поле не закрыта. Исправьте и выберите снова; ничего не отправлено.');
    expect(await refusalOf('name,plan\nAnn,pro\n')).toContain('нужен столбец email или phone');
    expect(await refusalOf('email,Plan name\na@example.com,x\n')).toContain('столбец 2 «Plan name» не может быть атрибутом');
    expect(await refusalOf('email,Email\na@example.com,b@example.com\n')).toContain('столбцы «email» и «Email» — один и тот же столбец');
    expect(await refusalOf('')).toBe('Файл пуст: нужна строка заголовков (email, name, …) и по строке на получателя.');
  });
});
