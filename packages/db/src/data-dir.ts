import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@geocrm/domain';

const LOCK_FILE = 'geocrm.lock';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes the data folder's lock: a second process on the same folder fails at once with a clear
 * message. A lock left by a process that no longer runs (a crash, SIGKILL) is taken over.
 * Returns the function that releases it.
 */
export const lockDataDir = (dataDir: string): (() => void) => {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new AppError(
          'UNAVAILABLE',
          `The data folder ${dataDir} is in use by another GeoCRM process (pid ${pid}). Stop that process, or set DATA_DIR to another folder.`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new AppError('UNAVAILABLE', `Could not lock the data folder ${dataDir}`);
};

export const PGDATA = 'pgdata';
const INIT_PREFIX = 'pgdata.initializing';

/** The folder a new database is created in before it is renamed into place. */
export const initializingDir = (dataDir: string): string => join(dataDir, `${INIT_PREFIX}-${process.pid}`);

/** Removes what an interrupted first start left behind (a half-created database folder). */
export const removeInterruptedInit = (dataDir: string): string[] => {
  if (!existsSync(dataDir)) return [];
  const leftovers = readdirSync(dataDir).filter((name) => name.startsWith(INIT_PREFIX));
  for (const name of leftovers) rmSync(join(dataDir, name), { recursive: true, force: true });
  return leftovers;
};
