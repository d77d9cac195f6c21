import assert from "node:assert/strict";
import Ajv from "ajv";
import schema from "../../../functions/video/mediaconvert-job-settings.schema.json";
import { jobSettings, LESSON_LADDER, timecode } from "../../../functions/video/jobSettings";
import { jobSettingsSchema } from "../../../tools/video/mediaconvertSchema";

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);
const settings = () =>
  jobSettings({
    bucket: "mpto-media-bucket",
    sourceKey: "uploads/3f1c2b4a-9d8e-4f7a-8b6c-5d4e3f2a1b0c/lesson.mp4",
    videoId: "3f1c2b4a-9d8e-4f7a-8b6c-5d4e3f2a1b0c",
    maxDurationSeconds: 7200,
  });
const errors = () => (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

describe("the MediaConvert job definition (functions/video/jobSettings.ts)", () => {
  it("is valid against MediaConvert's API model (JobSettings, from botocore's service-2.json)", () => {
    assert.equal(validate(settings()), true, errors().join("\n"));
    assert.match(String(schema.description), /botocore@[0-9a-f]{40} .*apiVersion 2017-08-29/);
  });

  it("is an HLS ladder of QVBR H.264 renditions with AAC, plus a poster, all written under videos/<id>/", () => {
    const s = settings() as any;
    const [hls, poster] = s.OutputGroups;
    assert.equal(hls.OutputGroupSettings.Type, "HLS_GROUP_SETTINGS");
    assert.equal(hls.OutputGroupSettings.HlsGroupSettings.Destination, "s3://mpto-media-bucket/videos/3f1c2b4a-9d8e-4f7a-8b6c-5d4e3f2a1b0c/hls/index");
    assert.deepEqual(
      hls.Outputs.map((o: any) => `${o.VideoDescription.Width}x${o.VideoDescription.Height}`),
      ["1920x1080", "1280x720", "960x540", "640x360"],
    );
    for (const o of hls.Outputs) {
      assert.equal(o.VideoDescription.CodecSettings.H264Settings.RateControlMode, "QVBR");
      assert.equal(o.AudioDescriptions[0].CodecSettings.Codec, "AAC");
    }
    assert.equal(poster.Outputs[0].VideoDescription.CodecSettings.Codec, "FRAME_CAPTURE");
    assert.match(poster.OutputGroupSettings.FileGroupSettings.Destination, /\/videos\/3f1c2b4a-9d8e-4f7a-8b6c-5d4e3f2a1b0c\/poster\/poster$/);
    assert.equal(s.Inputs[0].FileInput, "s3://mpto-media-bucket/uploads/3f1c2b4a-9d8e-4f7a-8b6c-5d4e3f2a1b0c/lesson.mp4");
    assert.deepEqual(s.Inputs[0].InputClippings, [{ EndTimecode: "02:00:00:00" }]);
  });

  it("encrypts every output with SSE-S3, as the bucket's TLS-and-encryption policy expects", () => {
    const [hls, poster] = (settings() as any).OutputGroups;
    const sseS3 = { S3Settings: { Encryption: { EncryptionType: "SERVER_SIDE_ENCRYPTION_S3" } } };
    assert.deepEqual(hls.OutputGroupSettings.HlsGroupSettings.DestinationSettings, sseS3);
    assert.deepEqual(poster.OutputGroupSettings.FileGroupSettings.DestinationSettings, sseS3);
  });

  it("counts the clip from the start of the file (zero-based timecodes for the job and its input) and takes the file's default audio", () => {
    const s = settings() as any;
    assert.deepEqual(s.TimecodeConfig, { Source: "ZEROBASED" });
    assert.equal(s.Inputs[0].TimecodeSource, "ZEROBASED");
    assert.deepEqual(s.Inputs[0].AudioSelectors, { "Audio Selector 1": { DefaultSelection: "DEFAULT" } });
  });

  it("writes each rendition as HLS (M3U8) with stereo 48 kHz AAC from that audio selector, and names the groups as the console shows them", () => {
    const [hls, poster] = (settings() as any).OutputGroups;
    assert.deepEqual([hls.Name, poster.Name], ["HLS", "Poster"]);
    for (const o of hls.Outputs) {
      assert.deepEqual(o.ContainerSettings, { Container: "M3U8", M3u8Settings: {} });
      assert.equal(o.AudioDescriptions[0].AudioSourceName, "Audio Selector 1");
      assert.deepEqual(o.AudioDescriptions[0].CodecSettings.AacSettings, { Bitrate: 96_000, CodingMode: "CODING_MODE_2_0", SampleRate: 48_000 });
      assert.equal(o.VideoDescription.CodecSettings.Codec, "H_264");
      assert.equal(o.VideoDescription.CodecSettings.H264Settings.GopSize, 2);
    }
  });

  it("captures at most two 1280x720 poster frames, one every 5 s, as raw JPEG files", () => {
    const [, poster] = (settings() as any).OutputGroups;
    assert.equal(poster.OutputGroupSettings.Type, "FILE_GROUP_SETTINGS");
    assert.deepEqual(poster.Outputs, [
      {
        ContainerSettings: { Container: "RAW" },
        VideoDescription: {
          Width: 1280,
          Height: 720,
          CodecSettings: { Codec: "FRAME_CAPTURE", FrameCaptureSettings: { FramerateNumerator: 1, FramerateDenominator: 5, MaxCaptures: 2, Quality: 80 } },
        },
      },
    ]);
  });

  it("caps each rendition below the one above it (a ladder, not a pile)", () => {
    for (let i = 1; i < LESSON_LADDER.length; i++)
      assert.ok(LESSON_LADDER[i].maxBitrate < LESSON_LADDER[i - 1].maxBitrate && LESSON_LADDER[i].height < LESSON_LADDER[i - 1].height);
  });

  it("writes timecodes as HH:MM:SS:FF", () => {
    assert.equal(timecode(0), "00:00:00:00");
    assert.equal(timecode(3725.9), "01:02:05:00");
  });

  describe("fails a deliberately broken definition (so a pass means something)", () => {
    const broken: [string, (s: any) => void, RegExp][] = [
      ["a misspelled setting", (s) => (s.OutputGroups[0].OutputGroupSettings.HlsGroupSettings.SegmentLenght = 6), /must NOT have additional properties/],
      ["a QVBR quality level out of range", (s) => (s.OutputGroups[0].Outputs[0].VideoDescription.CodecSettings.H264Settings.QvbrSettings.QvbrQualityLevel = 11), /must be <= 10/],
      ["a codec not in the enum", (s) => (s.OutputGroups[0].Outputs[0].VideoDescription.CodecSettings.Codec = "H_266"), /must be equal to one of the allowed values/],
      ["a string where a number goes", (s) => (s.OutputGroups[0].Outputs[1].VideoDescription.Width = "1280"), /must be integer/],
      ["a negative segment length", (s) => (s.OutputGroups[0].OutputGroupSettings.HlsGroupSettings.SegmentLength = 0), /must be >= 1/],
    ];
    for (const [what, breakIt, expected] of broken) {
      it(what, () => {
        const s = settings();
        breakIt(s);
        assert.equal(validate(s), false);
        assert.match(errors().join("\n"), expected);
      });
    }
  });

  it("the converter turns model constraints into schema constraints (structures, enums, ranges, lists, maps)", () => {
    const model = {
      metadata: { apiVersion: "test" },
      shapes: {
        JobSettings: {
          type: "structure",
          members: { Mode: { shape: "Mode" }, Level: { shape: "__integerMin1Max10" }, Tags: { shape: "__mapOf__string" }, Items: { shape: "__listOf__string" } },
          required: ["Mode"],
        },
        Mode: { type: "string", enum: ["A", "B"] },
        __integerMin1Max10: { type: "integer", min: 1, max: 10 },
        __string: { type: "string" },
        __mapOf__string: { type: "map", key: { shape: "__string" }, value: { shape: "__string" } },
        __listOf__string: { type: "list", member: { shape: "__string" } },
      },
    };
    const generated = new Ajv({ strict: false }).compile(jobSettingsSchema(model, "test model"));
    assert.equal(generated({ Mode: "A", Level: 5, Tags: { a: "b" }, Items: ["x"] }), true);
    for (const bad of [{}, { Mode: "C" }, { Mode: "A", Level: 0 }, { Mode: "A", Tags: { a: 1 } }, { Mode: "A", Items: [1] }, { Mode: "A", Extra: 1 }])
      assert.equal(generated(bad), false, JSON.stringify(bad));
  });
});
