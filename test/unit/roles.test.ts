import { describe, expect, it } from 'vitest';
import { roleKindOf } from '../../src/domain/roles.js';

describe('roleKindOf', () => {
  it.each([
    ['Executive Sponsor', 'executive_sponsor'],
    ['Facilitator', 'facilitator'],
    ['Co-Facilitator', 'facilitator'],
    ['Facilitator & DRI', 'facilitator'],
    ['Functional Lead', 'functional_lead'],
    ['Functional Leads', 'functional_lead'],
    ['DRI for Runner', 'functional_lead'],
    ['Stakeholder', 'stakeholder'],
    ['Executive Stakeholder', 'stakeholder'],
    ['Member', 'member'],
    ['Members', 'member'],
    ['Note taker', 'other'],
  ])('%s → %s', (label, kind) => {
    expect(roleKindOf(label)).toBe(kind);
  });
});
