import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Cdn } from "../../../components/edge/Cdn";
import {
  CLOUDFRONT_FUNCTION_MAX_BYTES,
  CLOUDFRONT_FUNCTION_RUNTIME,
  cloudFrontFunctionSource,
  CloudFrontFunctionSourceError,
} from "../../../functions/edge/cloudfrontFunction";
import { ROBOTS_RULES } from "../../../functions/edge/headers";
import { CfRequest, CfResponse, LoadedFunction, loadCloudFrontFunction, viewerRequestEvent, viewerResponseEvent } from "../../../tools/edge/cloudfrontFunctionsSandbox";
import { declare, oneOf } from "../../support/harness";

const PEM = readFileSync(join(__dirname, "..", "..", "fixtures", "edge", "signing-public-key.pem"), "utf8");

const HOSTS = ["www.example.com", "example.com"];

describe("CloudFront Function (functions/edge/cloudfront-function.js, run in the CloudFront Functions sandbox)", () => {
  const source = cloudFrontFunctionSource({ mediaPathPrefix: "/media", hosts: HOSTS });
  let fn: LoadedFunction;
  before(() => {
    fn = loadCloudFrontFunction(source);
  });

  const request = (uri: string, querystring?: Record<string, string>) => fn.invoke(viewerRequestEvent({ uri, querystring })) as CfRequest;
  const response = (uri: string, responseHeaders?: Record<string, string>) => fn.invoke(viewerResponseEvent({ uri, responseHeaders })) as CfResponse;

  describe("the deployed source", () => {
    it("is the very string the Cdn component deploys as its cloudfront-js-2.0 function", async () => {
      const result = await declare(
        () =>
          new Cdn("edge", {
            domainNames: HOSTS,
            vercelOriginHostname: "site.vercel.app",
            mediaBucketRegionalDomainName: "media.s3.eu-west-2.amazonaws.com",
            mediaSigningPublicKeyPem: PEM,
          }),
      );
      const deployed = oneOf(result, "aws:cloudfront/function:Function");
      assert.equal(deployed.inputs.code, source);
      assert.equal(deployed.inputs.runtime, CLOUDFRONT_FUNCTION_RUNTIME);
      const written = /^\/\/ CloudFront Function, runtime (cloudfront-js-\d\.\d)\./m.exec(source)?.[1];
      assert.equal(CLOUDFRONT_FUNCTION_RUNTIME, written, "deployed on the runtime its source says it is written for");
      assert.equal(deployed.inputs.publish, true);
    });

    it("stays under CloudFront's 10 KB code limit", () => {
      assert.ok(Buffer.byteLength(source) < CLOUDFRONT_FUNCTION_MAX_BYTES, `${Buffer.byteLength(source)} bytes`);
    });

    it("is byte-for-byte the same for the same options (no spurious diffs)", () => {
      assert.equal(cloudFrontFunctionSource({ mediaPathPrefix: "/media", hosts: HOSTS }), source);
    });

    it("uses nothing the runtime lacks: no require, fetch, timers, process or eval", () => {
      assert.doesNotMatch(source, /\brequire\s*\(|\bfetch\s*\(|setTimeout|setInterval|\bprocess\.|\beval\s*\(|\bimport\s/);
    });

    it("refuses a media prefix that would shadow Next.js or Vercel paths, or is not one path segment, with a typed error naming it", () => {
      const tooLong = `/${"m".repeat(32)}`;
      for (const bad of ["/_next", "/.well-known", "media", "/media/", "/Media", "", "x/media", "//media", "/media/videos", "/-media", "/me_dia", tooLong]) {
        assert.throws(
          () => cloudFrontFunctionSource({ mediaPathPrefix: bad, hosts: HOSTS }),
          (e: unknown) =>
            e instanceof CloudFrontFunctionSourceError &&
            e.code === "INVALID_MEDIA_PREFIX" &&
            e.message === `media path prefix ${JSON.stringify(bad)} must match /^\\/[a-z0-9][a-z0-9-]{0,30}$/`,
          bad,
        );
      }
    });

    it("accepts a prefix of / and 1 to 31 lower-case letters, digits and dashes", () => {
      for (const good of ["/m", "/0", "/v2-media", "/media-", `/${"m".repeat(31)}`]) {
        assert.match(cloudFrontFunctionSource({ mediaPathPrefix: good, hosts: HOSTS }), new RegExp(`^var CONFIG = \\{"mediaPathPrefix":"${good}",`), good);
      }
    });

    it("refuses to build a function over the size limit, with a typed error", () => {
      const rules = Array.from({ length: 400 }, (_, i) => ({ pattern: `^/private-area-number-${i}(?:/|$)`, value: "noindex" }));
      assert.throws(
        () => cloudFrontFunctionSource({ mediaPathPrefix: "/media", hosts: HOSTS, robotsRules: rules }),
        (e: unknown) => e instanceof CloudFrontFunctionSourceError && e.name === "CloudFrontFunctionSourceError" && e.code === "TOO_LARGE" && /^CloudFront Function source is \d+ bytes; the limit is 10240$/.test(e.message),
      );
    });

    it("builds a function of exactly 10 KB (CloudFront's limit is inclusive) and refuses one byte more, saying how big it is", () => {
      const withRulePadded = (padding: number) => cloudFrontFunctionSource({ mediaPathPrefix: "/media", hosts: HOSTS, robotsRules: [{ pattern: `^/${"a".repeat(padding)}`, value: "noindex" }] });
      const base = Buffer.byteLength(withRulePadded(0));
      const atTheLimit = withRulePadded(10 * 1024 - base);
      assert.equal(Buffer.byteLength(atTheLimit), 10 * 1024);
      assert.throws(
        () => withRulePadded(10 * 1024 - base + 1),
        (e: unknown) => e instanceof CloudFrontFunctionSourceError && e.code === "TOO_LARGE" && e.message === "CloudFront Function source is 10241 bytes; the limit is 10240",
      );
    });
  });

  describe("viewer request on every behaviour: only the distribution's aliases are served", () => {
    const refused = (host: string | undefined, uri = "/") => {
      const event = viewerRequestEvent({ uri, host: host ?? "www.example.com" });
      if (host === undefined) delete event.request.headers.host;
      return fn.invoke(event) as CfResponse;
    };

    for (const host of ["d111111abcdef8.cloudfront.net", "mpto-web.vercel.app", "evil.example.net", "example.com.evil.net", "wwwXexample.com"]) {
      it(`answers 403 itself, uncached, for Host ${host}, on pages and media alike`, () => {
        for (const uri of ["/", "/media/videos/a.mp4", "/_next/static/chunks/main.js"]) {
          const out = refused(host, uri);
          assert.equal(out.statusCode, 403, `${host}${uri}`);
          assert.equal(out.headers["cache-control"].value, "no-store");
          assert.match(out.body!.data, /not served/);
        }
      });
    }

    it("answers 403 when the request has no Host at all", () => {
      assert.equal(refused(undefined).statusCode, 403);
    });

    it("serves every alias, in any case, with a port or the root dot", () => {
      for (const host of ["www.example.com", "example.com", "WWW.Example.COM", "example.com:443", "www.example.com."]) {
        const out = fn.invoke(viewerRequestEvent({ uri: "/tutors", host })) as CfRequest;
        assert.equal((out as unknown as CfResponse).statusCode, undefined, host);
        assert.equal(out.uri, "/tutors", host);
      }
    });

    it("is built from the Cdn's aliases, and refuses to build without valid ones (typed error naming the bad ones)", () => {
      for (const [hosts, named] of [
        [[], "[]"],
        [["Www.Example.com"], '["Www.Example.com"]'],
        [["example.com", "example.com/path", "*.example.com"], '["example.com/path","*.example.com"]'],
      ] as const) {
        assert.throws(
          () => cloudFrontFunctionSource({ mediaPathPrefix: "/media", hosts: [...hosts] }),
          (e: unknown) => e instanceof CloudFrontFunctionSourceError && e.code === "INVALID_HOSTS" && e.message === `served hosts must be lower-case DNS names, at least one; not: ${named}`,
          JSON.stringify(hosts),
        );
      }
    });
  });

  describe("viewer request on the media behaviour", () => {
    it("strips the media prefix so the bucket key has none", () => {
      assert.equal(request("/media/videos/7d9c/intro.mp4").uri, "/videos/7d9c/intro.mp4");
    });

    it("keeps the query string (signed-URL parameters) untouched", () => {
      const out = request("/media/videos/a.mp4", { Expires: "1767225600", "Key-Pair-Id": "K2JCJMDEHXQW5F", Signature: "abc~def_" });
      assert.equal(out.uri, "/videos/a.mp4");
      assert.deepEqual(out.querystring, { Expires: { value: "1767225600" }, "Key-Pair-Id": { value: "K2JCJMDEHXQW5F" }, Signature: { value: "abc~def_" } });
    });

    it("leaves paths that merely start with the same letters alone", () => {
      assert.equal(request("/mediakit/logo.png").uri, "/mediakit/logo.png");
      assert.equal(request("/media").uri, "/media");
    });

    it("follows a configured prefix", () => {
      const custom = loadCloudFrontFunction(cloudFrontFunctionSource({ mediaPathPrefix: "/files", hosts: HOSTS }));
      assert.equal((custom.invoke(viewerRequestEvent({ uri: "/files/images/x.webp" })) as CfRequest).uri, "/images/x.webp");
      assert.equal((custom.invoke(viewerRequestEvent({ uri: "/media/images/x.webp" })) as CfRequest).uri, "/media/images/x.webp");
    });

    it("returns the request (not a response), keeping method and headers", () => {
      const out = request("/media/a.jpg");
      assert.equal(out.method, "GET");
      assert.equal(out.headers.host.value, "www.example.com");
      assert.equal((out as unknown as CfResponse).statusCode, undefined);
    });
  });

  describe("viewer response on the site's default behaviour", () => {
    for (const uri of ["/admin", "/admin/", "/admin/users/42", "/ADMIN/settings", "/%61dmin/x", "/Admin"]) {
      it(`sets X-Robots-Tag: ${ROBOTS_RULES[0].value} on ${uri}`, () => {
        assert.equal(response(uri).headers["x-robots-tag"]?.value, ROBOTS_RULES[0].value);
      });
    }

    for (const uri of ["/", "/administrator", "/admins", "/blog/admin", "/tutors/admin-tips"]) {
      it(`leaves ${uri} indexable`, () => {
        assert.equal(response(uri).headers["x-robots-tag"], undefined);
      });
    }

    it("replaces an X-Robots-Tag the app sent on an admin path", () => {
      assert.equal(response("/admin", { "x-robots-tag": "all", "content-type": "text/html" }).headers["x-robots-tag"].value, ROBOTS_RULES[0].value);
    });

    it("keeps the status and every other header", () => {
      const out = response("/admin", { "content-type": "text/html", "cache-control": "no-store" });
      assert.equal(out.statusCode, 200);
      assert.equal(out.headers["content-type"].value, "text/html");
      assert.equal(out.headers["cache-control"].value, "no-store");
    });

    it("does not throw on a malformed percent-escape (matches the raw path instead)", () => {
      assert.equal(response("/admin/%E0%A4%A").headers["x-robots-tag"]?.value, ROBOTS_RULES[0].value);
      assert.equal(response("/%E0%A4%A").headers["x-robots-tag"], undefined);
    });
  });
});
