/**
 * Errors as data (issue #14.4): an AirlockError keeps its code, its detail and its data apart,
 * so nothing ever takes the printed message apart again to find the detail; the message itself
 * reads as it always did (code's message, then the detail).
 */
import { describe, expect, it } from 'vitest';
import { AirlockError, errnoOf, errnoPathOf, toAirlockError } from '../../../electron/core/errors.js';
import { ERROR_CODES } from '../../../shared/errors.js';
import { ErrorInfoSchema } from '../../../shared/ipc.js';

describe('AirlockError keeps code, detail and data apart', () => {
  it('the message is the code’s message followed by the detail, as before', () => {
    const error = new AirlockError('OUTPUT_EXISTS', '/media/usb/q3.airlock.tar', { path: '/media/usb/q3.airlock.tar' });
    expect(error.message).toBe(`${ERROR_CODES.OUTPUT_EXISTS.message} /media/usb/q3.airlock.tar`);
    expect(error.detail).toBe('/media/usb/q3.airlock.tar');
    expect(error.code).toBe('OUTPUT_EXISTS');
    expect(error.path).toBe('/media/usb/q3.airlock.tar');
    expect(error.data).toBeUndefined();
  });

  it('without a detail the message is the code’s message alone and detail is absent', () => {
    for (const detail of [undefined, '']) {
      const error = new AirlockError('PASSPHRASE_WRONG', detail);
      expect(error.message).toBe(ERROR_CODES.PASSPHRASE_WRONG.message);
      expect(error.detail).toBeUndefined();
    }
  });

  it('a detail that looks like the code’s message stays the detail (nothing is recovered by slicing)', () => {
    const base = ERROR_CODES.NOT_FOUND.message;
    const error = new AirlockError('NOT_FOUND', `${base} twice`);
    expect(error.detail).toBe(`${base} twice`);
    expect(error.message).toBe(`${base} ${base} twice`);
  });

  it('data travels beside the message and never into it', () => {
    const error = new AirlockError('BUNDLE_IS_FOLDER', '/media/usb is a folder.', { path: '/media/usb', data: { folder: '/media/usb' } });
    expect(error.data).toEqual({ folder: '/media/usb' });
    expect(error.message).toBe(`${ERROR_CODES.BUNDLE_IS_FOLDER.message} /media/usb is a folder.`);
  });

  it('toInfo() carries detail, path and data, and leaves out what the error does not have', () => {
    const full = new AirlockError('HOME_INVALID', '/proc/x cannot be created here.', {
      path: '/proc/x',
      data: { reason: 'home-place', home: '/proc/x' },
    }).toInfo();
    expect(full).toStrictEqual({
      code: 'HOME_INVALID',
      message: `${ERROR_CODES.HOME_INVALID.message} /proc/x cannot be created here.`,
      detail: '/proc/x cannot be created here.',
      path: '/proc/x',
      data: { reason: 'home-place', home: '/proc/x' },
    });
    expect(new AirlockError('CANCELLED').toInfo()).toStrictEqual({ code: 'CANCELLED', message: ERROR_CODES.CANCELLED.message });
  });

  it('toInfo() passes the IPC error schema with every field kept, and survives JSON', () => {
    const info = new AirlockError('USAGE', 'Missing required argument.', { data: { command: 'airlock verify', count: 1, final: true, none: null } }).toInfo();
    expect(ErrorInfoSchema.parse(info)).toStrictEqual(info);
    expect(JSON.parse(JSON.stringify(info))).toStrictEqual(info);
  });

  it('toInfo() hands out a copy of the data, not the error’s own object', () => {
    const data = { reason: 'private-key' };
    const info = new AirlockError('KEY_INVALID', 'This is a private key.', { data }).toInfo();
    expect(info.data).toEqual(data);
    expect(info.data).not.toBe(data);
  });
});

describe('toAirlockError and the errno readers', () => {
  const enoent = Object.assign(new Error("ENOENT: no such file or directory, open '/nope/x'"), { code: 'ENOENT', path: '/nope/x' });

  it('an errno becomes a coded error whose detail is the words, not the system text', () => {
    const error = toAirlockError(enoent, '/nope');
    expect(error.code).toBe('NOT_FOUND');
    expect(error.detail).toBe('/nope/x does not exist.');
    expect(error.message).toBe(`${ERROR_CODES.NOT_FOUND.message} /nope/x does not exist.`);
    expect(error.path).toBe('/nope');
    expect(error.cause).toBe(enoent);
  });

  it("SQLite's full database (SQLITE_FULL) is NO_SPACE, as ENOSPC is, not an I/O error", () => {
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const error = toAirlockError(full);
    expect(error.code).toBe('NO_SPACE');
    expect(error.detail).toBe('database or disk is full');
    expect(error.cause).toBe(full);
  });

  it('errnoOf reads a string code and nothing else; errnoPathOf reads a string path', () => {
    expect(errnoOf(enoent)).toBe('ENOENT');
    expect(errnoPathOf(enoent)).toBe('/nope/x');
    for (const value of [null, undefined, 'ENOENT', 42, {}, { code: 7 }, new Error('plain')]) {
      expect(errnoOf(value)).toBeUndefined();
      expect(errnoPathOf(value)).toBeUndefined();
    }
  });
});
