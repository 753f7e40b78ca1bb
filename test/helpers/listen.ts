/** Puts an HTTP server on 127.0.0.1, port 0 (loopback only, a free port every time). */
import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";

/** Resolves with the port once `http` listens; rejects if listening fails. */
export async function listenLocal(http: HttpServer): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(0, "127.0.0.1", () => resolve());
  });
  return (http.address() as AddressInfo).port;
}
