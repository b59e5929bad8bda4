using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelC.Bench;

/// <summary>
/// The request loop bench/bench.py drives: one JSON object per line in, one per line out.
/// Requests: <c>{"op": "load", "dir", "model", "batch", "threads": [1, 2], "seed", "labels": {"y": 10}}</c>
/// (replaces the loaded model); <c>{"op": "time", "threads", "steps"}</c>, answered with
/// <c>wall_ms</c> and <c>cpu_ms</c> per step and the last <c>loss</c> of a train step (as text);
/// <c>{"op": "memory"}</c>, answered with <c>hwm_kib</c> and <c>rss_kib</c>. Every answer has
/// <c>ok</c>, and <c>error</c> when false. The loop ends at the end of the input.
/// </summary>
internal static class BenchHost
{
    public static int Serve(TextReader input, TextWriter output)
    {
        BenchModel? model = null;
        try
        {
            while (input.ReadLine() is { } line)
            {
                JsonObject answer;
                try
                {
                    answer = Answer(JsonNode.Parse(line)?.AsObject() ?? throw new JsonException("a request is a JSON object"), ref model);
                }
                catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or IOException or InvalidDataException or FormatException)
                {
                    answer = new JsonObject { ["ok"] = false, ["error"] = e.Message };
                }
                output.WriteLine(answer.ToJsonString());
                output.Flush();
            }
        }
        finally
        {
            model?.Dispose();
        }
        return 0;
    }

    private static JsonObject Answer(JsonObject request, ref BenchModel? model)
    {
        switch (Value<string>(request, "op"))
        {
            case "load":
                model?.Dispose();
                model = null;
                var labels = request["labels"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<int>()) ?? [];
                model = new BenchModel(Value<string>(request, "dir"), Value<string>(request, "model"), Value<int>(request, "batch"),
                    request["threads"]?.AsArray().Select(t => t!.GetValue<int>()) ?? [1], request["seed"]?.GetValue<ulong>() ?? 0, labels);
                return new JsonObject { ["ok"] = true, ["kernels"] = model.Manifest.Kernels.Length, ["train"] = model.Manifest.Training is not null };
            case "time":
                if (model is null)
                {
                    throw new InvalidOperationException("no model is loaded");
                }
                var (wall, cpu, loss) = model.Time(Value<int>(request, "threads"), Math.Max(1, Value<int>(request, "steps")));
                return new JsonObject
                {
                    ["ok"] = true,
                    ["wall_ms"] = new JsonArray([.. wall.Select(v => JsonValue.Create(v))]),
                    ["cpu_ms"] = new JsonArray([.. cpu.Select(v => JsonValue.Create(v))]),
                    // As text: JSON has no NaN, and a diverged loss is worth seeing.
                    ["loss"] = loss?.ToString("R", CultureInfo.InvariantCulture),
                };
            case "memory":
                var (peak, current) = ProcessMemory.Read();
                return new JsonObject { ["ok"] = true, ["hwm_kib"] = peak, ["rss_kib"] = current };
            case var other:
                throw new ArgumentException($"unknown op '{other}' (load, time, memory)");
        }
    }

    private static T Value<T>(JsonObject request, string name) =>
        request[name] is { } value ? value.GetValue<T>() : throw new ArgumentException($"the request has no '{name}'");
}
