import type { Command } from 'commander';
import { describeSettings, loadSettings, projectRoot } from '@carrel/config';

export function registerConfigCommand(program: Command): void {
  program
    .command('config')
    .description('show every setting: its value now, its environment variable and its default (exits 2 if one is wrong)')
    .action(() => {
      const values = loadSettings({ baseDir: projectRoot() }) as Record<string, unknown>;
      for (const s of describeSettings()) {
        const v = s.key === 'database.url' ? String(values[s.key]).replace(/:\/\/([^:@/]+):[^@/]*@/, '://$1:***@') : values[s.key];
        console.log(`${s.key} = ${JSON.stringify(v)}\n    ${s.env} (default ${JSON.stringify(s.default)}): ${s.description}`);
      }
    });
}
