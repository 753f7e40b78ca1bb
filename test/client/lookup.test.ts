import { afterEach, describe, expect, it } from "vitest";
import { parseUrl } from "../../src/client/lookup.js";
import { InvalidArgumentError, io, type Socket } from "../../src/index.js";

const page = { protocol: "https:", host: "example.com:8443" };

describe("parseUrl", () => {
  it("keeps origin, namespace and query apart", () => {
    expect(parseUrl("http://localhost:3000/chat?x=1", undefined)).toEqual({ origin: "http://localhost:3000", nsp: "/chat", query: "x=1" });
    expect(parseUrl("https://example.com", undefined)).toEqual({ origin: "https://example.com", nsp: "/", query: "" });
  });

  it("maps ws/wss to http/https and drops default ports", () => {
    expect(parseUrl("ws://a.test:80/x", undefined).origin).toBe("http://a.test");
    expect(parseUrl("wss://a.test:443", undefined).origin).toBe("https://a.test");
    expect(parseUrl("http://[::1]:3000", undefined).origin).toBe("http://[::1]:3000");
  });

  it("resolves relative URLs against the page, and no URL to the page origin", () => {
    expect(parseUrl(undefined, page)).toEqual({ origin: "https://example.com:8443", nsp: "/", query: "" });
    expect(parseUrl("/admin", page)).toEqual({ origin: "https://example.com:8443", nsp: "/admin", query: "" });
    expect(parseUrl("//other.test/x", page).origin).toBe("https://other.test");
    expect(parseUrl("other.test:81", page).origin).toBe("https://other.test:81");
    expect(parseUrl("other.test", undefined).origin).toBe("https://other.test");
  });

  it("refuses what is not a URL with a typed error", () => {
    expect(() => parseUrl("http://", undefined)).toThrow(InvalidArgumentError);
    expect(() => parseUrl("ftp://x.test", undefined)).toThrow(/unsupported URL scheme/);
  });
});

describe("io() Manager cache", () => {
  const sockets: Socket[] = [];
  const make = (...args: Parameters<typeof io>): Socket => {
    const s = io(...args);
    sockets.push(s);
    return s;
  };
  afterEach(() => sockets.splice(0).forEach((s) => s.io.disconnect()));

  it("shares one Manager per origin and path across namespaces", () => {
    const a = make("http://cache.test:1/", { autoConnect: false });
    const b = make("http://cache.test:1/chat", { autoConnect: false });
    expect(b.io).toBe(a.io);
    expect(b.nsp).toBe("/chat");
  });

  it("opens a new Manager with forceNew, multiplex: false, another path, or the same namespace again", () => {
    const a = make("http://cache2.test:1", { autoConnect: false });
    expect(make("http://cache2.test:1", { autoConnect: false }).io).not.toBe(a.io);
    expect(make("http://cache2.test:1/x", { autoConnect: false, forceNew: true }).io).not.toBe(a.io);
    expect(make("http://cache2.test:1/y", { autoConnect: false, multiplex: false }).io).not.toBe(a.io);
    expect(make("http://cache2.test:1/z", { autoConnect: false, path: "/other" }).io).not.toBe(a.io);
  });

  it("passes the URL's query to the connection unless the query option is set", () => {
    const a = make("http://cache3.test:1/?token=abc", { autoConnect: false });
    expect(a.io.opts.query).toBe("token=abc");
    const b = make("http://cache3.test:2/?token=abc", { autoConnect: false, query: { x: "1" } });
    expect(b.io.opts.query).toEqual({ x: "1" });
  });
});
