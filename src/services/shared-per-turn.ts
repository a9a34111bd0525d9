/**
 * Loads asked for with the same key in one turn of the event loop share one load: it starts
 * in the next turn, after every request that arrived with this one has asked. Nothing is kept
 * afterwards, so a load never answers from before the moment its callers asked (a revoked
 * token is refused by the next turn's load), unlike a cache.
 */
export function sharedPerTurn<V>(load: (key: string) => Promise<V>): (key: string) => Promise<V> {
  const asked = new Map<string, Promise<V>>();
  return (key) => {
    let shared = asked.get(key);
    if (!shared) {
      shared = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        asked.delete(key);
        return load(key);
      });
      asked.set(key, shared);
    }
    return shared;
  };
}
