// Provisions the system parts the test suite needs (Chromium for the browser tests, Redis
// for the cluster tests). Installs Debian's packages when they are missing and we are root;
// otherwise stops with what to install. A missing part must fail the run, never skip tests.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const parts = [
  { name: "Chromium", binary: "/usr/bin/chromium", packages: ["chromium"] },
  { name: "Redis", binary: "/usr/bin/redis-server", packages: ["redis-server"] },
];

const missing = parts.filter((p) => !existsSync(p.binary));
if (missing.length > 0) {
  const packages = missing.flatMap((p) => p.packages);
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot) {
    console.error(
      `provision: missing ${missing.map((p) => `${p.name} (${p.binary})`).join(", ")}.\n` +
        `Install them with: sudo apt-get install -y ${packages.join(" ")}`,
    );
    process.exit(1);
  }
  console.log(`provision: installing ${packages.join(" ")} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", ...packages], { stdio: "inherit", env });
  const still = missing.filter((p) => !existsSync(p.binary));
  if (still.length > 0) {
    console.error(`provision: apt-get ran but ${still.map((p) => p.binary).join(", ")} is still missing`);
    process.exit(1);
  }
}
console.log(`provision: ${parts.map((p) => p.name).join(" and ")} present`);
