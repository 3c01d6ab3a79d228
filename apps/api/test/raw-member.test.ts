import { describe, expect, it } from 'vitest';
import { rawMember } from '../src/webhooks/raw-member.ts';

describe('rawMember', () => {
  it('answers the member text exactly as written: whitespace, key order and escapes kept', () => {
    const content = '{ "Topic" : "Items",\n\t"Division":7, "Key":"a\\"}b", "Nested":{"x":[1,{"y":"}"}]} }';
    const body = `{"HashCode":"AB", "Content" :  ${content}  }`;
    expect(rawMember(body, 'Content')).toBe(content);
  });

  it('finds a member after others of every kind and reads literals and strings', () => {
    const body = '{"a":[1,[2,{"b":"]"}]],"c":null,"d":-1.5e3,"e":"x\\\\","HashCode":"F00"}';
    expect(rawMember(body, 'c')).toBe('null');
    expect(rawMember(body, 'd')).toBe('-1.5e3');
    expect(rawMember(body, 'HashCode')).toBe('"F00"');
  });

  it('does not mistake a nested or quoted "Content" for the top-level member', () => {
    const body = '{"Other":{"Content":{"x":1}},"Note":"\\"Content\\":{}"}';
    expect(rawMember(body, 'Content')).toBeUndefined();
  });

  it('matches a key written with escapes by its value', () => {
    expect(rawMember('{"\\u0043ontent":{"k":1}}', 'Content')).toBe('{"k":1}');
  });

  it('answers undefined for bodies that are not objects', () => {
    expect(rawMember('[{"Content":{}}]', 'Content')).toBeUndefined();
    expect(rawMember('"Content"', 'Content')).toBeUndefined();
  });
});
