using System.Globalization;
using ModelC.Runtime.Initialization;

namespace ModelC.Runtime.Manifest;

/// <summary>
/// Checks a manifest against itself before any of its numbers reach native code: every index in
/// range, every dimension a size or a declared symbol, every enumeration value known, every
/// initialisation sane and every update fitting what it replaces. A manifest is read from disk and
/// may have been edited; a wrong index would otherwise become a write past a buffer.
/// </summary>
public static class ManifestValidator
{
    /// <summary>The most scratch memory a manifest may ask of each worker (1 GiB); compiled GEMM panels need a few MiB.</summary>
    public const long MaxScratchBytes = 1L << 30;

    /// <summary>Refuses <paramref name="manifest"/> unless every field is consistent with the rest.</summary>
    /// <exception cref="InvalidDataException">A field is out of range or inconsistent; the message names it.</exception>
    public static void Validate(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ValidateSymbols(manifest);
        ValidateBuffers(manifest);
        ValidateKernels(manifest);
        ValidateTensors(manifest);
        if (manifest.ScratchBytes is < 0 or > MaxScratchBytes)
        {
            throw Invalid("scratchBytes", $"{manifest.ScratchBytes} is not between 0 and {MaxScratchBytes}");
        }
        if (manifest.Training is { } training)
        {
            ValidateTraining(manifest, training);
        }
        ValidateCpuFeatures(manifest);
        ValidateVariants(manifest);
        ValidateGpu(manifest);
    }

    // A variant replaces the manifest's code: it must be a whole manifest of the same program, and
    // its library a file beside the manifest (a path could name any file on the machine).
    private static void ValidateVariants(ModelManifest manifest)
    {
        for (var i = 0; i < manifest.Variants.Length; i++)
        {
            var field = $"variants[{i}]";
            var variant = manifest.Variants[i] ?? throw Invalid(field, "it is null");
            if (string.IsNullOrEmpty(variant.Cpu))
            {
                throw Invalid($"{field}.cpu", "it is empty");
            }
            ValidateOtherBuild(manifest, field, variant.Library, variant.Manifest, manifest.Device);
        }
    }

    // The GPU build is held to the same rules as a variant, on its own device.
    private static void ValidateGpu(ModelManifest manifest)
    {
        if (manifest.Gpu is { } gpu)
        {
            ValidateOtherBuild(manifest, "gpu", gpu.Library, gpu.Manifest, DeviceKind.Gpu);
        }
    }

    private static void ValidateOtherBuild(ModelManifest manifest, string field, string library, ModelManifest? other, DeviceKind device)
    {
        if (string.IsNullOrEmpty(library) || library != Path.GetFileName(library) || library is "." or "..")
        {
            throw Invalid($"{field}.library", $"'{library}' is not a file name");
        }
        if (other is null || other.Name is null || other.Buffers.IsDefault || other.Tensors.IsDefault || other.Kernels.IsDefault || other.Symbols.IsDefault)
        {
            throw Invalid($"{field}.manifest", "it is incomplete");
        }
        if (other.FormatVersion != manifest.FormatVersion || other.Name != manifest.Name || other.Device != device || !other.Variants.IsEmpty || other.Gpu is not null)
        {
            throw Invalid($"{field}.manifest", $"it is not a build of model {manifest.Name} in this format on device {device}, or it has builds of its own");
        }
        if (!other.Tensors.Select(t => (t.Name, t.Role)).SequenceEqual(manifest.Tensors.Select(t => (t.Name, t.Role))))
        {
            throw Invalid($"{field}.manifest.tensors", "they are not the tensors of the manifest that lists it");
        }
        try
        {
            Validate(other);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"manifest field '{field}.manifest': {e.Message}", e);
        }
    }

    // A feature the runtime cannot check would let code it cannot vouch for run.
    private static void ValidateCpuFeatures(ModelManifest manifest)
    {
        if (manifest.CpuFeatures.IsDefault)
        {
            throw Invalid("cpuFeatures", "it is missing");
        }
        for (var i = 0; i < manifest.CpuFeatures.Length; i++)
        {
            if (!CpuFeatureSupport.Known.Contains(manifest.CpuFeatures[i]))
            {
                throw Invalid($"cpuFeatures[{i}]", $"'{manifest.CpuFeatures[i]}' is not a feature this runtime can check ({string.Join(", ", CpuFeatureSupport.Known.Order(StringComparer.Ordinal))})");
            }
        }
    }

    private static void ValidateSymbols(ModelManifest manifest)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < manifest.Symbols.Length; i++)
        {
            var symbol = manifest.Symbols[i];
            if (string.IsNullOrEmpty(symbol) || char.IsAsciiDigit(symbol[0]))
            {
                throw Invalid($"symbols[{i}]", $"'{symbol}' is not a dimension name");
            }
            if (!seen.Add(symbol))
            {
                throw Invalid($"symbols[{i}]", $"'{symbol}' is declared twice");
            }
        }
    }

    private static void ValidateBuffers(ModelManifest manifest)
    {
        var kernels = manifest.Kernels.Length;
        for (var i = 0; i < manifest.Buffers.Length; i++)
        {
            var buffer = manifest.Buffers[i] ?? throw Invalid($"buffers[{i}]", "it is null");
            if (buffer.Id != i)
            {
                throw Invalid($"buffers[{i}].id", $"{buffer.Id} is not the buffer's index {i}");
            }
            if (!Enum.IsDefined(buffer.Type))
            {
                throw Invalid($"buffers[{i}].type", "the element type is not one this runtime knows");
            }
            if (buffer.Shape.IsDefault)
            {
                throw Invalid($"buffers[{i}].shape", "it is missing");
            }
            for (var d = 0; d < buffer.Shape.Length; d++)
            {
                var dim = buffer.Shape[d];
                if (dim is null || !(long.TryParse(dim, NumberStyles.None, CultureInfo.InvariantCulture, out _) || manifest.Symbols.Contains(dim, StringComparer.Ordinal)))
                {
                    throw Invalid($"buffers[{i}].shape[{d}]", $"'{dim}' is neither a non-negative size nor one of the symbols ({string.Join(", ", manifest.Symbols)})");
                }
            }
            if (buffer.Temporary)
            {
                if (buffer.FirstKernel < 0 || buffer.FirstKernel >= kernels)
                {
                    throw Invalid($"buffers[{i}].firstKernel", $"kernel {buffer.FirstKernel} does not exist (the manifest has {kernels} kernels)");
                }
                if (buffer.LastKernel < buffer.FirstKernel || buffer.LastKernel >= kernels)
                {
                    throw Invalid($"buffers[{i}].lastKernel", $"kernel {buffer.LastKernel} is not between the first kernel {buffer.FirstKernel} and the last {kernels - 1}");
                }
            }
        }
    }

    private static void ValidateKernels(ModelManifest manifest)
    {
        for (var k = 0; k < manifest.Kernels.Length; k++)
        {
            var kernel = manifest.Kernels[k] ?? throw Invalid($"kernels[{k}]", "it is null");
            if (string.IsNullOrEmpty(kernel.Symbol))
            {
                throw Invalid($"kernels[{k}].symbol", "it is empty");
            }
            if (kernel.Buffers.IsDefaultOrEmpty)
            {
                throw Invalid($"kernels[{k}].buffers", "the kernel receives no buffers (it needs at least its output)");
            }
            for (var a = 0; a < kernel.Buffers.Length; a++)
            {
                CheckBuffer(manifest, $"kernels[{k}].buffers[{a}]", kernel.Buffers[a]);
            }
            if (!Enum.IsDefined(kernel.Kind))
            {
                throw Invalid($"kernels[{k}].kind", "the kernel kind is not one this runtime knows");
            }
        }
    }

    private static void ValidateTensors(ModelManifest manifest)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        // Inputs, parameters and states are written by the caller or at load: each needs memory of its own.
        var owners = new Dictionary<int, string>();
        for (var t = 0; t < manifest.Tensors.Length; t++)
        {
            var tensor = manifest.Tensors[t] ?? throw Invalid($"tensors[{t}]", "it is null");
            if (string.IsNullOrEmpty(tensor.Name) || !names.Add(tensor.Name))
            {
                throw Invalid($"tensors[{t}].name", $"'{tensor.Name}' is empty or names another tensor too");
            }
            if (!Enum.IsDefined(tensor.Role))
            {
                throw Invalid($"tensors[{t}].role", "the role is not one this runtime knows");
            }
            var field = $"tensors[{t}].buffer";
            CheckBuffer(manifest, field, tensor.Buffer);
            if (manifest.Buffers[tensor.Buffer].Temporary)
            {
                throw Invalid(field, $"buffer {tensor.Buffer} is a temporary, whose memory other values reuse");
            }
            if (tensor.Role != TensorRole.Output && !owners.TryAdd(tensor.Buffer, tensor.Name))
            {
                throw Invalid(field, $"buffer {tensor.Buffer} already holds '{owners[tensor.Buffer]}'");
            }
            if (tensor.Init is { } init)
            {
                ValidateInit(manifest, t, tensor, init);
            }
            if (tensor.Replaces is { } replaced)
            {
                ValidateReplaces(manifest, t, tensor, replaced);
            }
            else if (tensor.InPlace)
            {
                throw Invalid($"tensors[{t}].inPlace", $"'{tensor.Name}' replaces no tensor to write in place");
            }
            if (tensor.IndexBound is { } bound && (bound < 0 || tensor.Role != TensorRole.Input || manifest.Buffers[tensor.Buffer].Type != ElementType.I32))
            {
                throw Invalid($"tensors[{t}].indexBound", $"{bound} is negative or '{tensor.Name}' is not an i32 input");
            }
        }
    }

    private static void ValidateInit(ModelManifest manifest, int t, TensorSpec tensor, InitSpec init)
    {
        var field = $"tensors[{t}].init";
        if (tensor.Role is not (TensorRole.Parameter or TensorRole.State) || manifest.Buffers[tensor.Buffer].Type != ElementType.F32)
        {
            throw Invalid(field, $"'{tensor.Name}' is not an f32 parameter or state");
        }
        if (!double.IsFinite(init.A) || !double.IsFinite(init.B))
        {
            throw Invalid(field, $"{init} has a number that is not finite");
        }
        var sane = init.Kind switch
        {
            InitKind.Uniform => init.A <= init.B,
            InitKind.Normal => init.B >= 0,
            InitKind.Constant => true,
            InitKind.Orthogonal => init.B >= 1 && init.B == Math.Floor(init.B) && init.B <= int.MaxValue,
            _ => throw Invalid($"{field}.kind", "the distribution is not one this runtime knows"),
        };
        if (!sane)
        {
            throw Invalid(field, $"{init} is not a distribution (uniform needs a <= b, normal a standard deviation >= 0, orthogonal a whole number of rows)");
        }
    }

    private static void ValidateReplaces(ModelManifest manifest, int t, TensorSpec tensor, string replaced)
    {
        var field = $"tensors[{t}].replaces";
        var target = manifest.Tensors.FirstOrDefault(o => o?.Name == replaced && o.Role is TensorRole.Parameter or TensorRole.State);
        if (tensor.Role != TensorRole.Output || target is null)
        {
            throw Invalid(field, $"'{tensor.Name}' replaces '{replaced}', which is no parameter or state (or '{tensor.Name}' is no output)");
        }
        CheckBuffer(manifest, field, target.Buffer);
        var (update, old) = (manifest.Buffers[tensor.Buffer], manifest.Buffers[target.Buffer]);
        if (update.Type != old.Type || !update.Shape.SequenceEqual(old.Shape, StringComparer.Ordinal))
        {
            throw Invalid(field, $"'{tensor.Name}' ({Describe(update)}) does not match '{replaced}' ({Describe(old)}), which it replaces");
        }
    }

    private static void ValidateTraining(ModelManifest manifest, TrainingSpec training)
    {
        CheckNamed(manifest, "training.learningRateInput", training.LearningRateInput, TensorRole.Input);
        CheckNamed(manifest, "training.stepState", training.StepState, TensorRole.State);
        CheckNamed(manifest, "training.lossOutput", training.LossOutput, TensorRole.Output);
    }

    private static void CheckNamed(ModelManifest manifest, string field, string? name, TensorRole role)
    {
        if (!manifest.Tensors.Any(t => t.Name == name && t.Role == role && manifest.Buffers[t.Buffer].Type == ElementType.F32))
        {
            throw Invalid(field, $"'{name}' is not an f32 {role.ToString().ToLowerInvariant()} of the model");
        }
    }

    private static void CheckBuffer(ModelManifest manifest, string field, int buffer)
    {
        if (buffer < 0 || buffer >= manifest.Buffers.Length)
        {
            throw Invalid(field, $"buffer {buffer} does not exist (the manifest has {manifest.Buffers.Length} buffers)");
        }
    }

    private static string Describe(BufferSpec buffer) => $"{buffer.Type.ToString().ToLowerInvariant()}[{string.Join(", ", buffer.Shape)}]";

    private static InvalidDataException Invalid(string field, string problem) => new($"manifest field '{field}': {problem}");
}
