/**
 * The README's "Failure behaviour" table is the one the fault tests assert
 * against (failure-behaviour.ts): a change to either shows up here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { failureTable } from './failure-behaviour';

const README = path.join(__dirname, '..', '..', 'README.md');

function sectionOf(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) {
    return '';
  }
  const next = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, next < 0 ? undefined : next);
}

test('GIVEN the README WHEN its "Failure behaviour" section is read THEN its table is exactly the one the fault tests assert', () => {
  const section = sectionOf(fs.readFileSync(README, 'utf8'), 'Failure behaviour');
  const table = section.split('\n').filter((line) => line.startsWith('|')).join('\n');

  expect(table).toBe(failureTable());
});
