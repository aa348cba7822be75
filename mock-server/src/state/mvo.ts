/**
 * MVO customers, per seller account: create, get, partial update, delete (assumptions MVO-A3, A4, A8).
 * The default account is seeded with the spec's example customer; any other account starts empty.
 */
import type { ApiModel } from '../model/types.ts';
import type { IdSource } from './random.ts';
import type { ApiState, StateAnswer, StateRequest } from './types.ts';

type Customer = Record<string, unknown> & { id: string; email: string };

interface Seller {
  sellerId: string;
  customers: Map<string, Customer>;
}

const NULLABLE = ['company_name', 'legal_entity', 'address_data', 'postal_redirect_address'] as const;
const DEFAULT_ACCOUNT = 'default';

function example(model: ApiModel, operationId: string, status: number): any {
  const op = model.operations.find((candidate) => candidate.operationId === operationId);
  return op?.responses.get(status)?.examples.values().next().value;
}

export function createMvoState(model: ApiModel, ids: IdSource): ApiState {
  const seed = example(model, 'getCustomer', 200) as Customer | undefined;
  const sellers = new Map<string, Seller>();

  const sellerOf = (account: string): Seller => {
    let seller = sellers.get(account);
    if (!seller) {
      seller = { sellerId: account === DEFAULT_ACCOUNT && seed ? String(seed.seller_id) : ids.uuid(), customers: new Map() };
      if (account === DEFAULT_ACCOUNT && seed) seller.customers.set(seed.id, structuredClone(seed));
      sellers.set(account, seller);
    }
    return seller;
  };
  const emailTaken = (seller: Seller, email: string, except?: string) => {
    const wanted = email.toLowerCase();
    for (const customer of seller.customers.values()) if (customer.id !== except && customer.email.toLowerCase() === wanted) return true;
    return false;
  };

  const handlers: Record<string, (request: StateRequest, seller: Seller) => StateAnswer> = {
    createCustomer({ body, at }, seller) {
      if (emailTaken(seller, body.email)) return { status: 409 };
      const stamp = at.toISOString();
      const customer: Customer = {
        id: ids.uuid(),
        seller_id: seller.sellerId,
        first_name: body.first_name,
        last_name: body.last_name,
        email: body.email,
        company_name: body.company_name ?? null,
        legal_entity: body.legal_entity ?? null,
        language: body.language ?? 'de',
        address_data: body.address_data ?? null,
        postal_redirect_address: body.postal_redirect_address ?? null,
        status: body.status ?? 'active',
        source: 'api',
        created_at: stamp,
        updated_at: stamp,
      };
      seller.customers.set(customer.id, customer);
      return { status: 201, data: customer };
    },
    getCustomer({ params }, seller) {
      const customer = seller.customers.get(params.id);
      return customer ? { status: 200, data: customer } : { status: 404 };
    },
    updateCustomer({ params, body, at }, seller) {
      const customer = seller.customers.get(params.id);
      if (!customer) return { status: 404 };
      if (typeof body.email === 'string' && emailTaken(seller, body.email, customer.id)) return { status: 409 };
      for (const [field, value] of Object.entries(body as Record<string, unknown>)) {
        if (field in customer && field !== 'id' && (value !== null || (NULLABLE as readonly string[]).includes(field))) customer[field] = value;
      }
      customer.updated_at = at.toISOString();
      return { status: 200, data: customer };
    },
    deleteCustomer({ params }, seller) {
      return seller.customers.delete(params.id) ? { status: 204 } : { status: 404 };
    },
  };

  return {
    handle(request) {
      const handler = handlers[request.op.operationId];
      return handler?.(request, sellerOf(request.account));
    },
    reset: () => sellers.clear(),
  };
}
