/** The path patterns of scenarios and journal filters: `/api/customers*`, where `*` matches anything, including `/`. */
export function pathPattern(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}
