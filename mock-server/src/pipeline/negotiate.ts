/**
 * Which documented response a request gets, following Prism's `Prefer` header
 * (`Prefer: code=404, example=notFound`): by default the lowest 2xx and its first example.
 */
import { echoed } from '../auth/mask.ts';
import type { OperationModel, ResponseModel } from '../model/types.ts';

export interface Preference {
  code?: number;
  example?: string;
}

/** Most requests send no `Prefer`: they share this answer (frozen: nobody may fill it in). */
const NO_PREFERENCE: Preference = Object.freeze({});

export function parsePrefer(header: string | null | undefined): Preference {
  if (!header) return NO_PREFERENCE;
  const preference: Preference = {};
  for (const part of header.split(/[,;]/)) {
    const [name, ...rest] = part.split('=');
    const value = rest
      .join('=')
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (name.trim() === 'code' && /^\d{3}$/.test(value)) preference.code = Number(value);
    if (name.trim() === 'example' && value) preference.example = value;
  }
  return preference;
}

export type Negotiated = { ok: true; response: ResponseModel; exampleName?: string } | { ok: false; message: string };

export function negotiate(op: OperationModel, preference: Preference): Negotiated {
  const status = preference.code ?? op.successStatus;
  const response = op.responses.get(status);
  if (!response) {
    return {
      ok: false,
      message: `Prefer asks for code=${status}, but ${op.operationId} documents only ${[...op.responses.keys()].join(', ')}`,
    };
  }
  const names = [...response.examples.keys()];
  if (preference.example !== undefined && !response.examples.has(preference.example)) {
    return {
      ok: false,
      message: `Prefer asks for example=${echoed(preference.example)}, but the ${status} response of ${op.operationId} documents ${names.length ? names.join(', ') : 'no examples'}`,
    };
  }
  return { ok: true, response, exampleName: preference.example ?? names[0] };
}
