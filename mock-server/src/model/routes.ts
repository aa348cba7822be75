/**
 * Routing by OpenAPI path templates, one way for every router of the mock (the API's operations, the control
 * API's routes, the validating proxy's lookup): `{id}` segments match one segment, and the match names them.
 */
import { addRoute, createRouter, findRoute } from 'rou3';
import type { OperationModel } from './types.ts';

export interface RouteMatch<T> {
  data: T;
  /** The path parameters, as sent (not decoded). */
  params: Record<string, string>;
}

/** `/api/customers/{id}` → `/api/customers/:id`, the router's syntax. */
export const routePath = (template: string): string => template.replace(/\{([^}]+)\}/g, ':$1');

/** A lookup over `routes` (method in upper case, path as an OpenAPI template). */
export function routeTable<T>(
  routes: Iterable<{ method: string; path: string; data: T }>,
): (method: string, path: string) => RouteMatch<T> | undefined {
  const router = createRouter<T>();
  for (const route of routes) addRoute(router, route.method, routePath(route.path), route.data);
  return (method, path) => {
    const match = findRoute(router, method, path);
    return match && { data: match.data, params: match.params ?? {} };
  };
}

/** The operation a request routes to, as the mock routes it. */
export const operationRoutes = (operations: readonly OperationModel[]) =>
  routeTable(operations.map((op) => ({ method: op.method, path: op.path, data: op })));
