import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

/** A bar on a terminal; on a pipe or in a log, a line every 10%. Always on stderr, so stdout stays the report. */
export function progress(label: string, total: number): Progress {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% {value}/{total} {eta_formatted} left`, stream: process.stderr, hideCursor: true, etaBuffer: 200 },
      cliProgress.Presets.shades_classic,
    );
    bar.start(Math.max(total, 1), 0);
    return { update: (d) => bar.update(Math.min(d, Math.max(total, d))), stop: () => bar.stop() };
  }
  let shown = -1;
  return {
    update: (d) => {
      const tenth = total > 0 ? Math.floor((d / total) * 10) : 0;
      if (tenth > shown) {
        shown = tenth;
        process.stderr.write(`${label}: ${d}/${total}\n`);
      }
    },
    stop: () => undefined,
  };
}
