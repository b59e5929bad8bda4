using System.Text.Json;

namespace ModelC.Training;

/// <summary>
/// The training history a checkpoint carries in its metadata, as JSON: written by the
/// serializer, read back by hand with every field's type checked, so that a damaged or edited
/// history is one clear error and never reaches a deserializer that would accept nulls.
/// </summary>
internal static class EpochHistory
{
    /// <summary>The history as the checkpoint stores it.</summary>
    public static string Write(IReadOnlyList<EpochRecord> history) => JsonSerializer.Serialize(history, TrainingReport.Json);

    /// <summary>The epochs in <paramref name="text"/>, numbered 1, 2, … in order.</summary>
    /// <exception cref="FormatException">The text is not such a history (the message says where).</exception>
    public static List<EpochRecord> Parse(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not JSON ({e.Message})", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"it is a JSON {Kind(document.RootElement)}, not an array of epochs");
            }
            var history = new List<EpochRecord>();
            foreach (var item in document.RootElement.EnumerateArray())
            {
                var at = $"epoch record {history.Count + 1}";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"{at} is {Kind(item)}, not an object");
                }
                var epoch = Number(item, "epoch", at);
                if (epoch != history.Count + 1)
                {
                    throw new FormatException($"{at} has epoch {epoch}");
                }
                history.Add(new EpochRecord(
                    history.Count + 1,
                    Number(item, "train_loss", at),
                    OptionalNumber(item, "validation_loss", at),
                    OptionalNumber(item, "validation_accuracy", at),
                    Number(item, "learning_rate", at),
                    Number(item, "seconds", at)));
            }
            return history;
        }
    }

    private static double Number(JsonElement item, string name, string at) =>
        OptionalNumber(item, name, at) ?? throw new FormatException($"{at} lacks '{name}'");

    private static double? OptionalNumber(JsonElement item, string name, string at)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : throw new FormatException($"{at}: '{name}' is {Kind(value)}, not a finite number");
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
