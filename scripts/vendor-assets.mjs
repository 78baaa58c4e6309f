// vendor-assets copies the compiled NHS.UK frontend out of node_modules into
// web/static/vendor/nhsuk/, where the Go server embeds and serves it under
// /static/vendor/nhsuk/. npm runs it after every install (the "postinstall"
// script), so the vendored files always match package-lock.json. They are
// generated and never committed.
//
// It changes the stylesheet in two ways, and checks the result:
//
//   - The CSS points at its icons with root-relative URLs
//     (url(/assets/images/...)), which only work when the files sit at the site
//     root. We rewrite them to be relative to the stylesheet
//     (url(assets/images/...)), so they resolve wherever the CSS is served,
//     including a content-hashed URL in the same folder.
//   - The CSS loads the Frutiger font from https://assets.nhs.uk. The package
//     does not ship the font, it is licensed for nhs.uk sites, and a third-party
//     request breaks a strict Content-Security-Policy and our offline tests. We
//     drop those @font-face rules; the font stack falls back to Arial (Liberation
//     Sans on Linux), as the design system intends when Frutiger is absent.
//
// Source map comments are removed too: the maps are not copied, and would not
// match the rewritten CSS.

import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(root, "package.json"));

const pkgJSON = require.resolve("nhsuk-frontend/package.json");
const pkg = JSON.parse(fs.readFileSync(pkgJSON, "utf8"));
const dist = path.join(path.dirname(pkgJSON), "dist", "nhsuk");

const vendorDir = path.join(root, "web", "static", "vendor");
const dest = path.join(vendorDir, "nhsuk");
const tmp = path.join(vendorDir, ".nhsuk.tmp");

function fail(msg) {
  console.error(`vendor-assets: ${msg}`);
  process.exit(1);
}

function stripSourceMap(text) {
  return text
    .replace(/\n?\/\*# sourceMappingURL=[^*]*\*\/\s*$/, "\n")
    .replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n");
}

function vendorCSS(css) {
  // Drop @font-face rules whose sources are on another host.
  css = css.replace(/@font-face\s*\{[^}]*\}/g, (rule) =>
    /url\(\s*['"]?(https?:)?\/\//i.test(rule) ? "" : rule,
  );
  // Make root-relative asset URLs relative to the stylesheet.
  css = css.replace(/url\(\s*(['"]?)\/assets\//g, "url($1assets/");
  return stripSourceMap(css);
}

// cssURLs lists the url() references in css that are not data: URIs or
// fragment references (#id, as in SVG filters).
function cssURLs(css) {
  const urls = [];
  for (const m of css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)) {
    const u = m[2].trim();
    if (u.startsWith("data:") || u.startsWith("#")) continue;
    urls.push(u);
  }
  return urls;
}

const files = {
  css: "nhsuk-frontend.min.css",
  js: "nhsuk-frontend.min.js",
};
for (const f of Object.values(files)) {
  if (!fs.existsSync(path.join(dist, f))) {
    fail(`${path.join(dist, f)} not found: has nhsuk-frontend ${pkg.version} moved its compiled files?`);
  }
}

fs.rmSync(tmp, { recursive: true, force: true });
fs.mkdirSync(tmp, { recursive: true });

const css = vendorCSS(fs.readFileSync(path.join(dist, files.css), "utf8"));
fs.writeFileSync(path.join(tmp, files.css), css);

const js = stripSourceMap(fs.readFileSync(path.join(dist, files.js), "utf8"));
fs.writeFileSync(path.join(tmp, files.js), js);

// Icons, favicons, the web app manifest and the Open Graph image.
fs.cpSync(path.join(dist, "assets"), path.join(tmp, "assets"), { recursive: true });

fs.writeFileSync(path.join(tmp, "VERSION"), `${pkg.version}\n`);

// Every URL left in the CSS must be relative and must name a file we copied.
for (const u of cssURLs(css)) {
  if (/^([a-z]+:|\/)/i.test(u)) {
    fail(`${files.css} still references ${u}; only relative URLs are allowed`);
  }
  const file = path.join(tmp, u.split(/[?#]/)[0]);
  if (!fs.existsSync(file)) {
    fail(`${files.css} references ${u}, which is not in the copied files`);
  }
}

fs.rmSync(dest, { recursive: true, force: true });
fs.renameSync(tmp, dest);

function list(dir, prefix = "") {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? list(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    )
    .sort();
}
const n = list(dest).length;
console.log(`vendor-assets: nhsuk-frontend ${pkg.version}: ${n} files in ${path.relative(root, dest)}/`);
