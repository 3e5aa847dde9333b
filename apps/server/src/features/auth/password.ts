import { hash, verify } from '@node-rs/argon2';

/** Argon2id with the library's defaults (OWASP-level memory and time cost). */
export const hashPassword = (password: string): Promise<string> => hash(password);

// A real hash, so that an unknown e-mail costs as much time as a wrong password.
const DUMMY_HASH = hash('geocrm-dummy-password-for-timing');

export const verifyPassword = async (storedHash: string | undefined, password: string): Promise<boolean> => {
  try {
    return await verify(storedHash ?? (await DUMMY_HASH), password);
  } catch {
    return false;
  }
};
