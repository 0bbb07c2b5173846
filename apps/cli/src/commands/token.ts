import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { StaffTokenService } from '@carrel/auth';
import { withApp } from '../context.js';

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('staff API tokens (stored hashed; shown once, when created)');

  token
    .command('create')
    .description('create a token for a person or a system; prints it once')
    .argument('<name>', 'who or what uses it, e.g. "circulation desk" or "acq-staff"')
    .action(async (name: string) => {
      const t = await withApp((get) => get(StaffTokenService).create(name));
      console.log(`token ${t.id} for "${t.name}" (store it now; Carrel keeps only its hash):`);
      console.log(t.token);
    });

  token
    .command('list')
    .description('list tokens: id, name, first characters, last use')
    .action(async () => {
      const rows = await withApp((get) => get(StaffTokenService).list());
      for (const r of rows) {
        console.log(`${r.id}\t${r.name}\t${r.prefix}…\tcreated ${r.createdAt.toISOString()}\tlast used ${r.lastUsedAt?.toISOString() ?? 'never'}${r.revokedAt ? `\tREVOKED ${r.revokedAt.toISOString()}` : ''}`);
      }
    });

  token
    .command('revoke')
    .description('revoke a token by its id (see `carrel token list`)')
    .argument('<id>', 'token id', (v) => {
      if (!/^\d+$/.test(v)) throw new InvalidArgumentError('a token id is a number');
      return Number(v);
    })
    .action(async (id: number) => {
      await withApp((get) => get(StaffTokenService).revoke(id));
      console.log(`token ${id} revoked`);
    });
}
