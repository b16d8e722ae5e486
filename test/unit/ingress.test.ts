import { describe, expect, it } from 'vitest';
import { AddressBuckets, addressKey, ByteBudget } from '../../src/http/ingress.js';

describe('addressKey', () => {
  it('keeps IPv4, unwraps IPv4-mapped IPv6 and counts an IPv6 address by its /64', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff::9')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey(undefined)).toBe('unknown');
  });
});

describe('AddressBuckets', () => {
  it('lets an address send its burst, then refuses until the bucket refills', () => {
    let ms = 0;
    const buckets = new AddressBuckets(3, 60, () => ms);
    expect([1, 2, 3, 4].map(() => buckets.take('a'))).toEqual([true, true, true, false]);
    expect(buckets.take('b')).toBe(true); // another address has its own bucket
    ms += 1_000; // 60 a minute: one a second
    expect(buckets.take('a')).toBe(true);
    expect(buckets.take('a')).toBe(false);
    ms += 10 * 60_000; // never more than the capacity
    expect([1, 2, 3, 4].map(() => buckets.take('a'))).toEqual([true, true, true, false]);
  });

  it('gives back the token of a request that proved itself, so verified traffic is never limited', () => {
    const buckets = new AddressBuckets(2, 1, () => 0);
    for (let i = 0; i < 1_000; i += 1) {
      expect(buckets.take('slack')).toBe(true);
      buckets.refund('slack');
    }
    expect(buckets.take('slack')).toBe(true);
    expect(buckets.take('slack')).toBe(true);
    expect(buckets.take('slack')).toBe(false);
  });

  it('remembers a bounded number of addresses, forgetting full buckets first', () => {
    const ms = 0;
    const buckets = new AddressBuckets(2, 60, () => ms, 100);
    buckets.take('indebted');
    buckets.take('indebted');
    for (let i = 0; i < 500; i += 1) {
      buckets.take(`10.0.${Math.floor(i / 256)}.${i % 256}`);
      buckets.refund(`10.0.${Math.floor(i / 256)}.${i % 256}`);
    }
    expect(buckets.size).toBeLessThanOrEqual(100);
    expect(buckets.take('indebted')).toBe(false);
  });
});

describe('ByteBudget', () => {
  it('charges bytes up to its limit and takes them back on release', () => {
    const budget = new ByteBudget(100);
    expect(budget.charge(60)).toBe(true);
    expect(budget.charge(50)).toBe(false);
    expect(budget.used).toBe(60);
    budget.release(60);
    expect(budget.charge(100)).toBe(true);
  });
});
