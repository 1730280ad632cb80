/**
 * One SDK client per region, created on first use and kept for the warm
 * invocations that follow: a new client per call would open new connections
 * and resolve its configuration again each time.
 */
export function perRegion<T>(create: (region: string) => T): (region: string) => T {
  const clients = new Map<string, T>();
  return (region) => {
    let client = clients.get(region);
    if (client === undefined) {
      client = create(region);
      clients.set(region, client);
    }
    return client;
  };
}
