/**
 * config.json's `forward` section (issue #17.3; docs/siem.md): where every audit event also goes.
 * These names are a CONTRACT other tools rely on:
 *   "forward": { "syslog": { "url": "tcp://127.0.0.1:1514" } }
 *   "forward": { "syslog": { "url": "tls://siem.example:6514", "ca": "/etc/airlock/ca.pem",
 *                            "cert": "/etc/airlock/client.pem", "key": "/etc/airlock/client.key" } }
 *   "forward": { "jsonLines": { "path": "/var/log/airlock/audit.ecs.jsonl" } }
 * Unknown fields are refused (strict), like the rest of config.json.
 */
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { onFirstUse } from '../on-first-use.js';

/** config.json's `forward` schema, built on first use (it is needed only when config.json exists). */
export const forwardConfigSchema = onFirstUse(() => {
  const absolutePath = z
    .string()
    .min(1)
    .max(4096)
    .refine((path) => isAbsolute(path) && !/[\u0000-\u001f]/u.test(path), 'must be an absolute path without control characters');

  /** `tcp://HOST:PORT` or `tls://HOST:PORT` (RFC 5425 octet-counted framing on both). */
  const syslogUrl = z
    .string()
    .max(300)
    .regex(/^(tcp|tls):\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]{1,253}):[0-9]{1,5}$/u, 'must be tcp://HOST:PORT or tls://HOST:PORT')
    .refine((url) => {
      const port = Number(url.slice(url.lastIndexOf(':') + 1));
      return port >= 1 && port <= 65_535;
    }, 'the port must be 1-65535');

  const syslogSinkSchema = z
    .object({
      url: syslogUrl,
      /** PEM file of the CA that signed the server's certificate (tls only); absent: the system's CAs. */
      ca: absolutePath.optional(),
      /** Client certificate and key (PEM) for mutual TLS; both or neither. */
      cert: absolutePath.optional(),
      key: absolutePath.optional(),
      /** RFC 5424 APP-NAME; default `airlock`. */
      appName: z
        .string()
        .regex(/^[!-~]{1,48}$/u)
        .optional(),
      /** Syslog facility number 0-23; default 13 (log audit). */
      facility: z.number().int().min(0).max(23).optional(),
    })
    .strict()
    .refine((sink) => (sink.cert === undefined) === (sink.key === undefined), 'cert and key go together')
    .refine((sink) => sink.url.startsWith('tls://') || (sink.ca === undefined && sink.cert === undefined), 'ca, cert and key apply to tls:// only');

  const jsonLinesSinkSchema = z
    .object({
      path: absolutePath,
      /** Rotate when the file reaches this many bytes; default 100 MiB. */
      maxBytes: z
        .number()
        .int()
        .min(4096)
        .max(1024 ** 4)
        .optional(),
      /** How many rotated files to keep (`.1` ... `.N`); default 5. */
      keep: z.number().int().min(1).max(1000).optional(),
    })
    .strict();

  return z
    .object({
      syslog: syslogSinkSchema.optional(),
      jsonLines: jsonLinesSinkSchema.optional(),
    })
    .strict();
});

export type ForwardConfig = z.infer<ReturnType<typeof forwardConfigSchema>>;
export type SyslogSinkConfig = NonNullable<ForwardConfig['syslog']>;
export type JsonLinesSinkConfig = NonNullable<ForwardConfig['jsonLines']>;
