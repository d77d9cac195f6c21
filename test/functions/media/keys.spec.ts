import assert from "node:assert/strict";
import { MediaConfigError, MediaInputError, MediaServiceError } from "../../../functions/media/errors";
import { mediaTypeOf, parseUploadKey, playbackKey, safeFileName, uploadKey, videoId } from "../../../functions/media/keys";

/**
 * The object keys of the media bucket and the checks that keep user text out of them, in-process:
 * every refusal with its code and its message (the message is API: fixed text, never the input).
 */

const ID = "3f1c2b4a-9d8e-4f7a-8b6c-5d4e3f2a1b0c";
const MP4 = mediaTypeOf("video/mp4");
const PNG = mediaTypeOf("image/png");

/** Runs `action`, which must throw a MediaInputError with this code and message (status 400). */
function refuses(action: () => unknown, code: string, message: string, what = ""): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof MediaInputError, `${what}: expected a MediaInputError, got ${String(error)}`);
    assert.equal(error.code, code, what);
    assert.equal(error.message, message, what);
    assert.equal(error.status, 400, what);
    return true;
  });
}

describe("media keys: content types", () => {
  it("accepts exactly the allowlisted types, each with its kind and its extensions (the first is canonical)", () => {
    const table: [string, string, string[]][] = [
      ["video/mp4", "video", ["mp4", "m4v"]],
      ["video/webm", "video", ["webm"]],
      ["video/quicktime", "video", ["mov"]],
      ["image/jpeg", "image", ["jpg", "jpeg"]],
      ["image/png", "image", ["png"]],
      ["image/webp", "image", ["webp"]],
      ["image/avif", "image", ["avif"]],
      ["image/gif", "image", ["gif"]],
    ];
    for (const [contentType, kind, extensions] of table) {
      assert.deepEqual(mediaTypeOf(contentType), { contentType, kind, extensions }, contentType);
    }
  });

  it("reads a type case-insensitively and without surrounding spaces, and answers with the normalised type", () => {
    assert.deepEqual(mediaTypeOf("  Image/PNG\t"), { contentType: "image/png", kind: "image", extensions: ["png"] });
  });

  it("refuses a type off the list, naming the list but not the input", () => {
    const message = "content type is not one of video/mp4, video/webm, video/quicktime, image/jpeg, image/png, image/webp, image/avif, image/gif";
    for (const contentType of ["text/html", "image/svg+xml", "video/mp4; codecs=avc1", "video/*", "", "toString", "constructor", "__proto__", "hasOwnProperty"]) {
      refuses(() => mediaTypeOf(contentType), "UNSUPPORTED_TYPE", message, contentType);
    }
  });

  it("refuses a type that is not a string", () => {
    for (const contentType of [undefined, null, 7, ["video/mp4"], { toString: () => "video/mp4" }]) {
      refuses(() => mediaTypeOf(contentType), "UNSUPPORTED_TYPE", "content type must be a string", String(contentType));
    }
  });
});

describe("media keys: safeFileName turns a browser's file name into a key's last segment", () => {
  const named: [string, { extensions: readonly string[] }, string][] = [
    ["lesson.mp4", MP4, "lesson.mp4"],
    ["Lesson.MP4", MP4, "lesson.mp4"],
    ["lesson", MP4, "lesson.mp4"],
    ["clip", MP4, "clip.mp4"],
    ["lesson.m4v", MP4, "lesson.mp4"],
    ["Résumé Vidéo.mp4", MP4, "resume-video.mp4"],
    ["ﬁle ①.mp4", MP4, "file-1.mp4"],
    ["my.lesson.mp4", MP4, "my-lesson.mp4"],
    ["a  --  b.mp4", MP4, "a-b.mp4"],
    ["a b c.mp4", MP4, "a-b-c.mp4"],
    ["  --lesson--  .mp4", MP4, "lesson.mp4"],
    ["(1) draft!.png", PNG, "1-draft.png"],
    ["a%20b.mp4", MP4, "a-20b.mp4"],
    ["光の授業.mp4", MP4, "file.mp4"],
    ["---.mp4", MP4, "file.mp4"],
    [".mp4", MP4, "mp4.mp4"],
    [".png", MP4, "png.mp4"],
    ["clip.abcdef", MP4, "clip-abcdef.mp4"],
    ["clip.toolong", MP4, "clip-toolong.mp4"],
    ["clip.a b", MP4, "clip-a-b.mp4"],
    ["clip.", MP4, "clip.mp4"],
    ["\uD800\uDC00.mp4", MP4, "file.mp4"],
  ];
  for (const [fileName, type, safe] of named) {
    it(`${JSON.stringify(fileName)} becomes ${safe}`, () => {
      assert.equal(safeFileName(fileName, type), safe);
    });
  }

  it("keeps the first 80 characters of the stem, without a dash left at the cut", () => {
    assert.equal(safeFileName(`${"x".repeat(80)}.mp4`, MP4), `${"x".repeat(80)}.mp4`);
    assert.equal(safeFileName(`${"x".repeat(81)}.mp4`, MP4), `${"x".repeat(80)}.mp4`);
    assert.equal(safeFileName(`${"x".repeat(79)} yz.mp4`, MP4), `${"x".repeat(79)}.mp4`);
    assert.equal(safeFileName(` ${"x".repeat(80)}.mp4`, MP4), `${"x".repeat(80)}.mp4`, "the leading dash goes before the cut");
  });

  it("accepts a name of 255 characters and refuses one of 256", () => {
    assert.equal(safeFileName(`${"a".repeat(251)}.mp4`, MP4), `${"a".repeat(80)}.mp4`);
    refuses(() => safeFileName(`${"a".repeat(252)}.mp4`, MP4), "NAME_TOO_LONG", "file name is longer than 255 characters");
  });

  it("refuses an extension of 1 to 5 letters or digits that the declared type does not have, naming the type's extensions", () => {
    for (const fileName of ["clip.html", "clip.png", "clip.x", "clip.abcde", "clip.MOV", "clip.a.b"]) {
      refuses(() => safeFileName(fileName, MP4), "TYPE_MISMATCH", "file extension does not match the content type (expected .mp4 or .m4v)", fileName);
    }
    refuses(() => safeFileName("photo.jpg", PNG), "TYPE_MISMATCH", "file extension does not match the content type (expected .png)");
  });

  it("refuses a name that is not a string, or is empty or blank", () => {
    for (const fileName of [undefined, null, 42, ["a.mp4"], { toString: () => "a.mp4" }]) {
      refuses(() => safeFileName(fileName, MP4), "INVALID_NAME", "file name must be a string", String(fileName));
    }
    for (const fileName of ["", " ", "   "]) refuses(() => safeFileName(fileName, MP4), "EMPTY_NAME", "file name is empty", JSON.stringify(fileName));
  });

  it("refuses path separators, . and .., and percent-encoded separators and dots (either case)", () => {
    for (const fileName of ["a/b.mp4", "a\\b.mp4", "/", "\\", "../a.mp4"]) {
      refuses(() => safeFileName(fileName, MP4), "PATH_TRAVERSAL", "file name contains a path separator", fileName);
    }
    for (const fileName of [".", ".."]) refuses(() => safeFileName(fileName, MP4), "PATH_TRAVERSAL", "file name is a relative path segment", fileName);
    for (const fileName of ["a%2fb.mp4", "a%2Fb.mp4", "a%5cb.mp4", "a%5Cb.mp4", "%2e%2e.mp4", "%2E.mp4"]) {
      refuses(() => safeFileName(fileName, MP4), "PATH_TRAVERSAL", "file name contains a percent-encoded separator or dot", fileName);
    }
  });

  it("reports a separator as a separator even when the name also holds a character NFKC changes", () => {
    refuses(() => safeFileName("a/\uFB01.mp4", MP4), "PATH_TRAVERSAL", "file name contains a path separator");
    refuses(() => safeFileName("a\\\uFB01.mp4", MP4), "PATH_TRAVERSAL", "file name contains a path separator");
  });
});

describe("media keys: characters refused in file names and keys", () => {
  // Each check puts the character into an input that is otherwise accepted (`alone`: one without separators).
  const checks: [string, (value: string) => unknown, (value: string) => unknown][] = [
    ["file name", (value) => safeFileName(`a${value}b.mp4`, MP4), (value) => safeFileName(`a${value}b.mp4`, MP4)],
    ["key", (value) => playbackKey(`videos/${ID}/a${value}b.mp4`), (value) => playbackKey(`videos${value}${ID}`)],
  ];
  for (const [what, check, alone] of checks) {
    describe(`in a ${what}`, () => {
      it("control characters: C0, DEL, C1, line and paragraph separators", () => {
        for (const c of ["\u0000", "\u0009", "\n", "\r", "\u001F", "\u007F", "\u0080", "\u0085", "\u009F", "\u2028", "\u2029"]) {
          refuses(() => check(c), "CONTROL_CHARACTER", `${what} contains a control character`, JSON.stringify(c));
        }
      });

      it("lone surrogates, high or low, at either end of the range", () => {
        for (const c of ["\uD800", "\uDBFF", "\uDC00", "\uDFFF", "\uDC00\uD800", "\uDFFF\uDBFF"]) {
          refuses(() => check(c), "UNICODE_TRICK", `${what} is not well-formed Unicode`, JSON.stringify(c));
        }
      });

      it("format, private-use and unassigned characters", () => {
        for (const c of ["\u00AD", "\u200B", "\u200D", "\u202E", "\u2066", "\uFEFF", "\uE000", "\uF8FF", "\u0378", "\uFFFF", "\uDB80\uDC00", "\uDBFF\uDFFD"]) {
          refuses(() => check(c), "UNICODE_TRICK", `${what} contains an invisible or formatting character`, JSON.stringify(c));
        }
      });

      it("slash look-alikes that NFKC keeps", () => {
        for (const c of ["\u2044", "\u2215", "\u2216", "\u29F5", "\u29F8", "\u29F9"]) {
          refuses(() => check(c), "UNICODE_TRICK", `${what} contains a character that looks like a slash`, JSON.stringify(c));
        }
      });

      it("characters NFKC folds into / or \\", () => {
        refuses(() => alone("\uFF0F"), "UNICODE_TRICK", `${what} contains a character that normalises to "/"`);
        refuses(() => check("\uFF3C"), "UNICODE_TRICK", `${what} contains a character that normalises to "\\"`);
        refuses(() => check("\uFE68"), "UNICODE_TRICK", `${what} contains a character that normalises to "\\"`);
      });
    });
  }

  it("judges a key that already holds slashes by its segments, where a full-width solidus is no safe name", () => {
    refuses(() => playbackKey(`videos/${ID}/a\uFF0Fb.mp4`), "MALFORMED_KEY", "key's file name is not one this service creates");
  });

  it("lets well-formed surrogate pairs and other visible characters through to the safe-name rules", () => {
    assert.equal(safeFileName("\uD83D\uDE00 smile.mp4", MP4), "smile.mp4");
    // U+1D7FF (monospace nine, folded to 9), U+10000 (Linear B), U+1F600: pairs at the ends of the surrogate ranges.
    assert.equal(safeFileName("\uD835\uDFFF\uD800\uDC00\uD83D\uDE00.mp4", MP4), "9.mp4");
    assert.equal(safeFileName("\uFB01.mp4", MP4), "fi.mp4");
  });
});

describe("media keys: uploadKey, the key a new upload gets", () => {
  it("puts a video under uploads/ and an image under images/, with the id and the safe name", () => {
    assert.equal(uploadKey("video", ID, "lesson.mp4"), `uploads/${ID}/lesson.mp4`);
    assert.equal(uploadKey("image", ID, "photo.png"), `images/${ID}/photo.png`);
  });

  it("takes ids that are lower-case version 4 UUIDs of any variant", () => {
    for (const id of [
      "00000000-0000-4000-8000-000000000000",
      "ffffffff-ffff-4fff-9fff-ffffffffffff",
      "abcdef09-1234-4abc-adef-0123456789ab",
      "a1b2c3d4-e5f6-4789-bcde-f0123456789a",
    ]) {
      assert.equal(uploadKey("video", id, "a.mp4"), `uploads/${id}/a.mp4`);
    }
  });

  it("refuses any other id as a configuration error (the id source is the deployment's)", () => {
    const bad: unknown[] = [
      ID.toUpperCase(),
      ID.replace("-4f7a-", "-5f7a-"),
      ID.replace("-4f7a-", "-3f7a-"),
      ID.replace("-8b6c-", "-cb6c-"),
      ID.replace("-8b6c-", "-7b6c-"),
      `x${ID}`,
      `${ID}x`,
      `${ID}\n`,
      ID.slice(1),
      ID.slice(0, -1),
      ID.replace(/-/g, ""),
      ID.replace("3f1c2b4a", "3f1c2b4g"),
      ID.replace("9d8e", "9d8g"),
      ID.replace("f7a", "f7g"),
      ID.replace("b6c", "b6g"),
      ID.replace("5d4e3f2a1b0c", "5d4e3f2a1b0g"),
      "",
      "../../x",
      42,
      undefined,
      { toString: () => ID },
    ];
    for (const id of bad) {
      assert.throws(
        () => uploadKey("video", id as string, "a.mp4"),
        (error: unknown) =>
          error instanceof MediaConfigError && error.code === "MEDIA_CONFIG" && error.status === 500 && error.message === "upload ids must be lower-case version 4 UUIDs",
        String(id),
      );
    }
  });

  it("takes safe names: a letter or digit, up to 79 more of letters, digits and dashes, then a 2- to 5-character extension", () => {
    for (const name of ["a.mp4", "0.mp4", "a-b.mp4", `a${"b-".repeat(39)}9.ab`, `${"a".repeat(80)}.abcde`, "z9.m4v"]) {
      assert.equal(uploadKey("image", ID, name), `images/${ID}/${name}`, name);
    }
  });

  it("refuses anything safeFileName cannot produce (a programming error, not a MediaInputError)", () => {
    for (const name of [
      "",
      "a-mp4",
      "amp4",
      "-a.mp4",
      "A.mp4",
      "a.MP4",
      "a_b.mp4",
      "a b.mp4",
      "a..mp4",
      "a.b.mp4",
      ".mp4",
      "a.m",
      "a.abcdef",
      "a.mp-",
      `${"a".repeat(81)}.mp4`,
      "a/b.mp4",
      "a.mp4\n",
      "\na.mp4",
      "a.mp4/",
    ]) {
      assert.throws(
        () => uploadKey("video", ID, name),
        (error: unknown) => error instanceof Error && !(error instanceof MediaInputError) && error.message === "safe names come from safeFileName",
        JSON.stringify(name),
      );
    }
  });
});

describe("media keys: videoId, what playback cookies are scoped to", () => {
  it("returns a lower-case version 4 UUID as it is", () => {
    assert.equal(videoId(ID), ID);
  });

  it("refuses anything else", () => {
    for (const id of [ID.toUpperCase(), ID.replace("-4f7a-", "-1f7a-"), ID.replace("-8b6c-", "-0b6c-"), `${ID}/`, ` ${ID}`, "", undefined, 42, { toString: () => ID }]) {
      refuses(() => videoId(id), "MALFORMED_KEY", "a video id is the lower-case version 4 UUID its upload got", String(id));
    }
  });
});

describe("media keys: parseUploadKey reads the key of an uploaded video", () => {
  it("answers the id and the name of uploads/<uuid>/<safe-name> with a video type's canonical extension", () => {
    for (const name of ["lesson.mp4", "a.webm", "b-2.mov"]) {
      assert.deepEqual(parseUploadKey(`uploads/${ID}/${name}`), { id: ID, name });
    }
  });

  it("answers undefined for anything else", () => {
    const bad: unknown[] = [
      undefined,
      42,
      "",
      `uploads/${ID}`,
      `uploads/${ID}/a.mp4/b.mp4`,
      `x/uploads/${ID}/a.mp4`,
      `videos/${ID}/a.mp4`,
      `images/${ID}/a.mp4`,
      `uploads/${ID.toUpperCase()}/a.mp4`,
      `uploads/not-a-uuid/a.mp4`,
      `uploads/${ID}/A.mp4`,
      `uploads/${ID}/a.png`,
      `uploads/${ID}/a.jpg`,
      `uploads/${ID}/a.m4v`,
      `uploads/${ID}/a.txt`,
      `uploads/${ID}/a`,
    ];
    for (const key of bad) assert.equal(parseUploadKey(key), undefined, String(key));
  });
});

describe("media keys: playbackKey accepts only keys this service and its pipeline create", () => {
  it("accepts <videos|images>/<uuid>/<safe-name> with the kind's canonical extension, and says which kind", () => {
    for (const name of ["a.mp4", "a.webm", "a.mov"]) assert.deepEqual(playbackKey(`videos/${ID}/${name}`), { key: `videos/${ID}/${name}`, kind: "video" });
    for (const name of ["a.jpg", "a.png", "a.webp", "a.avif", "a.gif"]) assert.deepEqual(playbackKey(`images/${ID}/${name}`), { key: `images/${ID}/${name}`, kind: "image" });
  });

  it("accepts every file type the video pipeline writes under hls/ and poster/", () => {
    const files = [
      "hls/index.m3u8",
      "hls/a.ts",
      "hls/a.m4s",
      "hls/a.mp4",
      "hls/a.aac",
      "hls/a.vtt",
      "hls/0_a-b.c.ts",
      `hls/a${"b".repeat(127)}.ts`,
      "poster/a.jpg",
      "poster/a.jpeg",
      "poster/9.png",
    ];
    for (const file of files) assert.deepEqual(playbackKey(`videos/${ID}/${file}`), { key: `videos/${ID}/${file}`, kind: "video" }, file);
  });

  it("refuses a pipeline file of another type, shape or length, naming its folder", () => {
    const hls = ["index.html", "index.jpg", "index.m3u8x", "xindex.m3u", "_index.m3u8", "-a.ts", ".ts", "Index.m3u8", "a b.ts", "a.TS", `a${"b".repeat(128)}.ts`];
    for (const file of hls) {
      refuses(() => playbackKey(`videos/${ID}/hls/${file}`), "MALFORMED_KEY", "key's file is not a hls file the video pipeline writes", file);
    }
    for (const file of ["poster.svg", "poster.gif", "poster.m3u8", "_a.jpg", "a.jpg.svg", "a.pngx"]) {
      refuses(() => playbackKey(`videos/${ID}/poster/${file}`), "MALFORMED_KEY", "key's file is not a poster file the video pipeline writes", file);
    }
  });

  it("reads only videos/<uuid>/<hls|poster>/<file> as a pipeline file", () => {
    const shape = "key must be <videos|images>/<uuid>/<name> or videos/<uuid>/<hls|poster>/<file>";
    for (const key of [
      `images/${ID}/hls/index.m3u8`,
      `videos/not-a-uuid/hls/index.m3u8`,
      `videos/${ID.toUpperCase()}/hls/index.m3u8`,
      `videos/${ID}/originals/a.mp4`,
      `videos/${ID}/constructor/a.mp4`,
      `videos/${ID}/toString/a.mp4`,
      `videos/${ID}/hls/a/index.m3u8`,
      `videos/${ID}/a.mp4/b.mp4`,
      `videos/${ID}`,
      "videos",
      "images",
      `videos/not-a-uuid/a.mp4`,
    ]) {
      refuses(() => playbackKey(key), "MALFORMED_KEY", shape, key);
    }
    refuses(() => playbackKey(`videos/${ID}/hls`), "MALFORMED_KEY", "key's file name is not one this service creates");
  });

  it("refuses a name this service does not create: another kind's extension, a non-canonical one, an unsafe shape", () => {
    for (const key of [
      `videos/${ID}/a.png`,
      `videos/${ID}/a.m4v`,
      `images/${ID}/a.mp4`,
      `images/${ID}/a.jpeg`,
      `images/${ID}/a.svg`,
      `videos/${ID}/A.mp4`,
      `videos/${ID}/-a.mp4`,
      `videos/${ID}/a`,
      `videos/${ID}/a-mp4`,
      `videos/${ID}/a.b.mp4`,
      `videos/${ID}/${"a".repeat(81)}.mp4`,
      `videos/${ID}/a:b.mp4`,
    ]) {
      refuses(() => playbackKey(key), "MALFORMED_KEY", "key's file name is not one this service creates", key);
    }
  });

  it("refuses a key that is not a non-empty string", () => {
    for (const key of ["", undefined, null, 42, [`videos/${ID}/a.mp4`], { toString: () => `videos/${ID}/a.mp4` }]) {
      refuses(() => playbackKey(key), "EMPTY_KEY", "key must be a non-empty string", String(key));
    }
  });

  it("accepts a key of up to 1024 characters to the shape rules and refuses a longer one outright", () => {
    refuses(() => playbackKey(`videos/${"a".repeat(1017)}`), "MALFORMED_KEY", "key must be <videos|images>/<uuid>/<name> or videos/<uuid>/<hls|poster>/<file>");
    refuses(() => playbackKey(`videos/${"a".repeat(1018)}`), "MALFORMED_KEY", "key is longer than 1024 characters");
  });

  it("refuses a scheme, a leading slash or a leading backslash as an absolute key", () => {
    const message = "key must be relative to the bucket (no scheme, no leading slash)";
    for (const key of [
      "https://evil.example/a.mp4",
      "HTTPS://evil.example/a.mp4",
      "javascript:alert(1)",
      "data:x",
      "svn+ssh://host/x",
      "a.b:x",
      "x-y:z",
      "s3:videos/a.mp4",
      "C:\\videos\\a.mp4",
      `/videos/${ID}/a.mp4`,
      "//evil.example/x",
      `\\videos\\${ID}\\a.mp4`,
      "\\\\host\\share",
    ]) {
      refuses(() => playbackKey(key), "ABSOLUTE_KEY", message, key);
    }
    refuses(() => playbackKey(`1x:videos/${ID}/a.mp4`), "OUTSIDE_MEDIA_PREFIX", "key must start with videos/ or images/", "a scheme starts with a letter");
    refuses(() => playbackKey(`+x:videos/${ID}/a.mp4`), "OUTSIDE_MEDIA_PREFIX", "key must start with videos/ or images/", "a scheme starts with a letter");
  });

  it("refuses backslashes, percent-encoded separators and dots, and . or .. segments as path traversal", () => {
    refuses(() => playbackKey(`videos\\${ID}\\a.mp4`), "PATH_TRAVERSAL", "key contains a backslash");
    refuses(() => playbackKey(`videos/${ID}/a\\b.mp4`), "PATH_TRAVERSAL", "key contains a backslash");
    for (const key of [`videos/${ID}%2fa.mp4`, `videos/${ID}%2Fa.mp4`, `videos/${ID}%5ca.mp4`, `videos/${ID}%5Ca.mp4`, `videos/${ID}/%2e%2e/a.mp4`, `videos/${ID}/%2E.mp4`]) {
      refuses(() => playbackKey(key), "PATH_TRAVERSAL", "key contains a percent-encoded separator or dot", key);
    }
    for (const key of [".", "..", `videos/${ID}/..`, `videos/${ID}/.`, `videos/../${ID}/a.mp4`, `./videos/${ID}/a.mp4`, `videos/${ID}/../../x/`]) {
      refuses(() => playbackKey(key), "PATH_TRAVERSAL", "key contains a relative path segment", key);
    }
  });

  it("refuses empty segments", () => {
    for (const key of [`videos//${ID}/a.mp4`, `videos/${ID}/`, `videos/${ID}//a.mp4`, "videos/"]) {
      refuses(() => playbackKey(key), "MALFORMED_KEY", "key contains an empty segment", key);
    }
  });

  it("refuses any folder but videos/ and images/, uploads/ included", () => {
    for (const key of [`uploads/${ID}/a.mp4`, `Videos/${ID}/a.mp4`, `video/${ID}/a.mp4`, `image/${ID}/a.png`, `media/videos/${ID}/a.mp4`, "a.mp4", `1x:videos/${ID}/a.mp4`]) {
      refuses(() => playbackKey(key), "OUTSIDE_MEDIA_PREFIX", "key must start with videos/ or images/", key);
    }
  });
});

describe("media errors: names, codes and suggested HTTP statuses", () => {
  it("a MediaInputError is a 400, except TOO_LARGE (413)", () => {
    const input = new MediaInputError("EMPTY_KEY", "key must be a non-empty string");
    assert.deepEqual([input.name, input.code, input.status, input.message, input instanceof Error], ["MediaInputError", "EMPTY_KEY", 400, "key must be a non-empty string", true]);
    assert.equal(new MediaInputError("TOO_LARGE", "too large").status, 413);
  });

  it("a MediaConfigError is a 500 MEDIA_CONFIG, a MediaServiceError a 503 that keeps its cause", () => {
    const config = new MediaConfigError("bucket must be an S3 bucket name");
    assert.deepEqual([config.name, config.code, config.status, config.message], ["MediaConfigError", "MEDIA_CONFIG", 500, "bucket must be an S3 bucket name"]);
    const cause = new Error("no credentials");
    const service = new MediaServiceError("SIGN_FAILED", "could not sign the playback URL", { cause });
    assert.deepEqual(
      [service.name, service.code, service.status, service.message, service.cause],
      ["MediaServiceError", "SIGN_FAILED", 503, "could not sign the playback URL", cause],
    );
  });
});
