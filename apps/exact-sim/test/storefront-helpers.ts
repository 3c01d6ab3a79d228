import { type Collection, DIVISION, json, readAll, type Sim } from './helpers.ts';

/** Every record of a sync endpoint after `Timestamp gt 1`, following `__next`. */
export async function syncAll<T>(sim: Sim, bearer: string, path: string, select: string): Promise<T[]> {
  const first = `${DIVISION}/sync/${path}?$filter=Timestamp gt 1L&$select=${select}`;
  return (await readAll<T>(sim, bearer, first)).records;
}

/** One REST list page (60 records at most) with the given query. */
export async function list<T>(sim: Sim, bearer: string, path: string, query = ''): Promise<Collection<T>> {
  const response = await sim.api(bearer, `${DIVISION}/${path}${query ? `?${query}` : ''}`);
  if (response.status !== 200)
    throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return json<Collection<T>>(response);
}

export async function mutate<T = { created: string[]; updated: string[]; deleted: string[] }>(
  sim: Sim,
  body: unknown,
  division = DIVISION,
) {
  return sim.control<T>('POST', `/_sim/divisions/${division}/mutate`, body);
}

export function postOrder(sim: Sim, bearer: string, body: unknown, division = DIVISION): Promise<Response> {
  return sim.api(bearer, `${division}/salesorder/SalesOrders`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
}

/** The Exact error message of a refused call. */
export async function refusal(response: Response): Promise<[number, string]> {
  const body = (await response.json()) as { error: { message: { value: string } } };
  return [response.status, body.error.message.value];
}

export interface ItemRow {
  ID: string;
  Code: string;
  Unit: string;
  IsSalesItem: boolean;
  ItemGroup: string | null;
  SalesVatCode: string | null;
}

export interface PriceRow {
  ID: string;
  Item: string;
  Account: string | null;
  Price: number;
  Quantity: number;
  Unit: string;
  NumberOfItemsPerUnit: number;
  DefaultItemUnit: string;
  StartDate: string | null;
  EndDate: string | null;
}

/** A sales item with one undated general price in its own unit and nothing else (no breaks, no other units). */
export async function plainItem(sim: Sim): Promise<{ item: ItemRow; price: number }> {
  const prices = await sim.entities<PriceRow>('prices');
  const items = await sim.entities<ItemRow>('items');
  for (const item of items) {
    const own = prices.filter((p) => p.Item === item.ID);
    const [only] = own;
    if (item.IsSalesItem && own.length === 1 && only && only.Account === null && only.StartDate === null)
      return { item, price: only.Price };
  }
  throw new Error('no plain item in the dataset');
}
