/** The table every bench ends with: a line per target with the figure, its baseline, the ratio, the goal and whether it was met. */
export interface TargetRow {
  target: string;
  figure: string;
  baseline: string;
  ratio: string;
  goal: string;
  /** `undefined`: not counted (the run could not measure it honestly; `note` says why); `'info'`: a figure with no goal. */
  met: boolean | undefined | 'info';
  note?: string;
}

export class Targets {
  readonly rows: TargetRow[] = [];

  add(row: TargetRow): void {
    this.rows.push(row);
  }

  print(title: string): void {
    console.log(title);
    const widths = [58, 22, 22, 18, 20, 11];
    const line = (cells: string[]) =>
      cells
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join(' ')
        .trimEnd();
    console.log(line(['target', 'ours', 'baseline', 'ratio', 'goal', 'met']));
    for (const r of this.rows)
      console.log(
        line([
          r.target,
          r.figure,
          r.baseline,
          r.ratio,
          r.goal,
          r.met === undefined ? 'NOT COUNTED' : r.met === 'info' ? '—' : r.met ? 'met' : 'MISSED',
          r.note ?? '',
        ]),
      );
  }
}
