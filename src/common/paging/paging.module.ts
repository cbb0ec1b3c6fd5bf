import { randomBytes } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { Database } from '../../database/database.service';
import { isUniqueViolation } from '../../database/database-errors';
import { CursorCodec } from './cursor-codec';

const SETTING = 'cursor_secret';

/** CURSOR_SECRET, or the key the first instance generated and stored for all of them. */
async function sharedCursorKey(config: AppConfig, database: Database): Promise<Buffer> {
  if (config.cursorSecret) return Buffer.from(config.cursorSecret, 'utf8');
  const read = async () => {
    const rows: { value: string }[] = await database.read((manager) =>
      manager.query('SELECT value FROM gateway_settings WHERE name = ?', [SETTING]),
    );
    return rows[0]?.value;
  };
  let value = await read();
  if (!value) {
    try {
      await database.write((manager) =>
        manager.query('INSERT INTO gateway_settings (name, value) VALUES (?, ?)', [
          SETTING,
          randomBytes(32).toString('base64url'),
        ]),
      );
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    value = await read();
  }
  if (!value) throw new Error('the paging cursor key could not be stored');
  return Buffer.from(value, 'base64url');
}

@Global()
@Module({
  providers: [
    {
      provide: CursorCodec,
      inject: [AppConfig, Database],
      useFactory: async (config: AppConfig, database: Database) => new CursorCodec(await sharedCursorKey(config, database)),
    },
  ],
  exports: [CursorCodec],
})
export class PagingModule {}
