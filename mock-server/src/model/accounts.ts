/** The account a key belongs to unless it names one: the control API's `Account` default (openapi/mock/). */
import { spec as controlSpec } from '../generated/mock.spec.ts';

export const DEFAULT_ACCOUNT: string = controlSpec.components.schemas.Account.default;
