import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adminApi, publicApi } from '#shared/contract/api';
import { functions } from '#shared/contract/wiring';

const routesOf = (name: 'adminApi' | 'survey') => {
  const source = functions[name].source;
  return source.kind === 'http' ? [...source.routes].sort() : [];
};

describe('the HTTP contract', () => {
  it('declares exactly the routes the wiring gives the admin API', () => {
    expect(Object.keys(adminApi).sort()).toEqual(routesOf('adminApi'));
  });

  it('declares exactly the routes the wiring gives the survey pages', () => {
    expect(Object.keys(publicApi).sort()).toEqual(routesOf('survey'));
  });
});

describe('the contract in a browser', () => {
  it('bundles for the browser with nothing from Node, however deep the import', async () => {
    // GIVEN every module of the contract, as the console may import them
    const { build } = await import('esbuild');
    const entryPoints = readdirSync('shared/contract').map((file) => `shared/contract/${file}`);
    // WHEN esbuild bundles it for a browser (it refuses Node built-ins such as node:crypto there)
    const result = await build({ entryPoints, outdir: 'browser', bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' });
    // THEN it builds, without a warning
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
  });
});
