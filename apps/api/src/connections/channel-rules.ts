import { CHANNELS } from '@exact-sync/core';
import type { ChannelsSettings } from '@exact-sync/db';
import type { FieldError } from '../errors.ts';

/**
 * What a channel's settings must hold together, checked on what a PATCH leaves (its changes merged into the stored
 * settings): a b2c channel books its orders on a default account, and prices including VAT are priced by Exact,
 * since Exact books a line's `NetPrice` as it gets it, under the line's VAT code, and whether that includes VAT
 * depends on the code's type in the division.
 */
export function channelProblems(channels: ChannelsSettings): FieldError[] {
  const problems: FieldError[] = [];
  const b2c = channels.b2c;
  if (b2c && Object.keys(b2c).length > 0 && !b2c.defaultAccountCode) {
    problems.push({
      field: 'body.channels.b2c.defaultAccountCode',
      message: 'required for the b2c channel: the account its orders are booked on',
    });
  }
  for (const channel of CHANNELS) {
    const settings = channels[channel];
    if (settings?.pricesIncludeVat === true && settings.priceSource !== 'exact') {
      problems.push({
        field: `body.channels.${channel}.priceSource`,
        message:
          'pricesIncludeVat: true needs priceSource: "exact" (prices including VAT are not sent to Exact as net prices)',
      });
    }
  }
  return problems;
}
