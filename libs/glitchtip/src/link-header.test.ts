import { describe, expect, it } from '@jest/globals';
import { readGlitchTipContract } from '@triage/testing';
import { parseNextCursor } from './link-header';

const contractList = readGlitchTipContract('api_issues_list');
const contractOrganizations = readGlitchTipContract('api_organizations_list');

describe('parseNextCursor', () => {
  it.each([
    ['the contract header wrapped in {\'...\'}', contractList._headers.Link, 'cD0yMDI1LTA2LTE5KzE3JTNBNDAlM0EwMi41NTUwMDAlMkIwMCUzQTAw'],
    ['a last page (results="false", no cursor)', contractOrganizations._headers.Link, undefined],
    ['a plain RFC 8288 header', '<https://g.example/api/0/x/?cursor=abc>; rel="previous"; results="false", <https://g.example/api/0/x/?cursor=def>; rel="next"; results="true"; cursor="def"', 'def'],
    ['a next entry without a cursor attribute (read from the URL)', "{'<https://g.example/api/0/x/?limit=1&cursor=fromurl>; rel=\"next\"; results=\"true\"'}", 'fromurl'],
    ['no header', undefined, undefined],
    ['an empty header', '', undefined],
    ['only a previous entry with results="true"', '<https://g.example/?cursor=p>; rel="previous"; results="true"; cursor="p"', undefined],
    ['a header repeated as an array', ['<https://g.example/?cursor=a>; rel="previous"; results="false"', '<https://g.example/?cursor=n>; rel="next"; results="true"; cursor="n"'], 'n'],
  ])('%s', (_name, header, expected) => {
    expect(parseNextCursor(header as string | string[] | undefined)).toBe(expected);
  });
});
