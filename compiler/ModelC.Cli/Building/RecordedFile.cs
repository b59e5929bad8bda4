namespace ModelC.Cli.Building;

/// <summary>A file a build wrote, with its bytes.</summary>
/// <param name="Name">Its name in the output folder, or its full path.</param>
/// <param name="Bytes">Its content.</param>
internal sealed record RecordedFile(string Name, byte[] Bytes);
