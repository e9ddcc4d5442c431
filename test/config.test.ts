import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';

describe('loadConfig', () => {
  it('reads EMBED_HOSTS as a list of lower-case host names, empty or unset as none', () => {
    expect(loadConfig({ EMBED_HOSTS: ' mentimeter.com, Player.Example.org ,' }).EMBED_HOSTS).toEqual([
      'mentimeter.com',
      'player.example.org',
    ]);
    expect(loadConfig({ EMBED_HOSTS: '' }).EMBED_HOSTS).toBeUndefined();
    expect(loadConfig({}).EMBED_HOSTS).toBeUndefined();
  });

  it('refuses an EMBED_HOSTS entry that is not a host name, naming the variable', () => {
    expect(() => loadConfig({ EMBED_HOSTS: 'https://mentimeter.com/' })).toThrow(/EMBED_HOSTS.*host names such as mentimeter\.com/);
  });
});
