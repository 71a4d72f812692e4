/** One measured figure, printed on its own line as `name: value unit`. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const format = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 3 : 1));

export const printFigure = (f: Figure): void => console.log(`${f.name}: ${format(f.value)} ${f.unit}`);
