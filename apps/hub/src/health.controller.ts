import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@carrel/auth';
import { CARREL_SETTINGS, projectRoot, type CarrelSettings } from '@carrel/config';
import { DbService, migrationStatus } from '@carrel/db';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly db: DbService,
    @Inject(CARREL_SETTINGS) private readonly settings: CarrelSettings,
  ) {}

  @Public()
  @Get('health')
  @ApiOperation({ summary: 'Database in use, its migration state, and the roles this process runs' })
  async health() {
    let reachable = true;
    let migrations: Awaited<ReturnType<typeof migrationStatus>> | null = null;
    try {
      await this.db.prisma.$queryRawUnsafe('SELECT 1');
      migrations = await migrationStatus(projectRoot(), this.db.target.provider, this.db.prisma);
    } catch {
      reachable = false;
    }
    const ok = reachable && !!migrations?.upToDate;
    return {
      status: ok ? 'ok' : 'degraded',
      database: {
        provider: this.db.target.provider,
        target: this.db.describe(),
        reachable,
        migrations: migrations && { upToDate: migrations.upToDate, applied: migrations.applied, pending: migrations.pending, failed: migrations.failed, unknown: migrations.unknown },
      },
      roles: { http: this.settings['http.enabled'], sip2: this.settings['sip2.enabled'], scheduler: this.settings['scheduler.enabled'] },
    };
  }
}
