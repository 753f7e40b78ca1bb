/**
 * Dynamic namespaces (`io.of(/^\/team-\d+$/)` or `io.of((name, auth, next) => ...)`): a parent
 * whose children are created when a client first connects to a name the parent accepts. As
 * with socket.io, a child starts with the parent's middleware and `connection` listeners, and
 * an emit on the parent reaches the sockets of every child.
 */
import { Namespace } from "./namespace.js";

/** Decides whether a namespace name (with the client's auth) belongs to a parent. */
export type NamespaceMatcher =
  | RegExp
  | ((name: string, auth: Record<string, unknown>, next: (error: Error | null, allow: boolean) => void) => void);

export class ParentNamespace extends Namespace {
  /** The namespaces created from this parent so far. */
  readonly children = new Set<Namespace>();
  private readonly matcher: NamespaceMatcher;

  constructor(name: string, matcher: NamespaceMatcher) {
    super(name, undefined);
    this.matcher = matcher;
  }

  /** @internal Calls `done(true)` when `name` belongs to this parent; a throwing matcher refuses. */
  matches(name: string, auth: Record<string, unknown>, done: (allow: boolean) => void): void {
    const matcher = this.matcher;
    if (matcher instanceof RegExp) return done(matcher.test(name));
    let answered = false;
    const answer = (allow: boolean) => {
      if (answered) return;
      answered = true;
      done(allow);
    };
    try {
      matcher(name, auth, (error, allow) => answer(!error && allow === true));
    } catch {
      answer(false);
    }
  }

  /** @internal Makes `child` (a new namespace) one of this parent's. */
  adopt(child: Namespace): void {
    child.inherit(this);
    this.children.add(child);
  }

  /** Sends an event to every socket of every child namespace. */
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    for (const child of this.children) child.emit(event, ...args);
    return true;
  }
}
