import { loadJekyllRules } from '../jekyll/site-rules.ts';
import { plainFolderRules, type SiteRules } from './site-rules.ts';

/** A folder with a Jekyll _config.yml follows Jekyll's rules; any other folder is plain pages. */
export async function loadSiteRules(root: string): Promise<SiteRules> {
  return (await loadJekyllRules(root)) ?? plainFolderRules;
}
