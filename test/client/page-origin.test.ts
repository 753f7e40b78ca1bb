// @vitest-environment happy-dom
/** In a page, `io()` and relative URLs resolve against the page's origin. */
import { describe, expect, it } from "vitest";
import { io } from "../../src/index.js";

describe("io() in a page", () => {
  it("connects to the page origin without a URL, and takes the namespace from a relative URL", () => {
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL("https://app.example:8443/some/page");
    const root = io({ autoConnect: false });
    const chat = io("/chat", { autoConnect: false });
    expect(root.io.uri).toBe("https://app.example:8443");
    expect(chat.io).toBe(root.io);
    expect(chat.nsp).toBe("/chat");
    root.io.disconnect();
  });
});
