/**
 * The Node server's option types, apart from the modules that use node:http: the options' one interface
 * (options/types.ts) names them, and the MSW entry's types, which share it, must compile without Node's types.
 */

/** `true`: every origin; a list: exactly these origins (`http://localhost:5173`). */
export type CorsSetting = true | readonly string[];

export interface TransportLimits {
  /** How long a client may take to send its request line and headers (Node's `headersTimeout`). */
  headersTimeoutMs: number;
  /** How long a client may take to send its whole request, body included (Node's `requestTimeout`). */
  requestTimeoutMs: number;
  /** Connections open at once; more are closed as they arrive (Node's `server.maxConnections`). */
  maxConnections: number;
}
