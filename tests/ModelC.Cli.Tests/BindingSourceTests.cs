using System.Reflection;
using Microsoft.CodeAnalysis.CSharp;
using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Compiler.Passes.Optimizers;
using ModelC.Compiler.Semantics;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.DotNet;
using ModelC.Runtime.Bindings;
using ModelC.Runtime.Manifest;
using ModelC.Runtime.Packaging;

namespace ModelC.Cli.Tests;

/// <summary>
/// The generated C#: it compiles for every model of every example and for awkward names, and
/// the <c>--emit source</c>, <c>--deps</c> and <c>--diagnostic-format msbuild</c> outputs that the
/// MSBuild package reads are what it expects. No native code is compiled: the bundles hold
/// manifests with empty libraries.
/// </summary>
public sealed class BindingSourceTests
{
    [Theory]
    [MemberData(nameof(BuildRunTests.Examples), MemberType = typeof(BuildRunTests))]
    public void TheClassesOfEveryExampleCompile(string example)
    {
        var path = Modelc.File(example);
        var bindings = Bind(Compilation.Load(path, new CompilationOptions { StandardLibrary = Modelc.Stdlib }));
        var documentation = CompileToDocumentation(path, bindings);
        foreach (var binding in bindings)
        {
            Assert.Contains($"<member name=\"T:Demo.{binding.Code.Name}\">", documentation, StringComparison.Ordinal);
            Assert.Contains($"<member name=\"M:Demo.{binding.Code.Name}.Forward(", documentation, StringComparison.Ordinal);
            Assert.Equal(binding.Code.Training is not null, documentation.Contains($"<member name=\"M:Demo.{binding.Code.Name}.TrainStep(", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void NamesThatAreKeywordsOrClashAreMadeValid()
    {
        const string Source = """
            import std.nn;

            /// Names chosen to clash: a keyword, the local 'pass', two outputs, members of the base class.
            model Step(B: batch) {
                input  class: f32[B, 3];
                input  pass: f32[B, 2];
                output save = linear(2)(class) + pass;
                output outputs = relu(save);
            }
            """;
        var compilation = Compilation.FromSource("clash.mdl", Source, new CompilationOptions { StandardLibrary = Modelc.Stdlib });
        Assert.False(compilation.HasErrors, string.Join("\n", compilation.Diagnostics));
        var bindings = Bind(compilation);
        var source = BindingSource.Generate("clash.mdl", "Demo", bindings);

        Assert.Contains("public sealed record Outputs(float[] Save, float[] Outputs2);", source, StringComparison.Ordinal);
        Assert.Contains("public Outputs Forward(global::System.ReadOnlySpan<float> @class, global::System.ReadOnlySpan<float> pass2)", source, StringComparison.Ordinal);
        Assert.Contains("public sealed record TensorOutputs(global::System.Numerics.Tensors.Tensor<float> Save, global::System.Numerics.Tensors.Tensor<float> Outputs);", source, StringComparison.Ordinal);
        Assert.Contains("public TensorOutputs Forward(global::System.Numerics.Tensors.ReadOnlyTensorSpan<float> @class, global::System.Numerics.Tensors.ReadOnlyTensorSpan<float> pass2)", source, StringComparison.Ordinal);
        Assert.Contains("public global::System.Span<float> Linear0Weight => Parameter(\"linear_0.weight\");", source, StringComparison.Ordinal);
        CompileToDocumentation("clash.mdl", bindings);
    }

    [Fact]
    public void ParametersNamedLikeAnyMemberOfTheClassStillCompile()
    {
        // Every name the class could clash with: each member of its base classes, whatever its
        // visibility (a superset of what BindingSource reserves), and those it declares itself.
        const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
        var names = new[] { typeof(CompiledModel), typeof(object) }
            .SelectMany(type => type.GetMembers(Everything))
            .Select(member => member.Name)
            .Where(SyntaxFacts.IsValidIdentifier)
            .Concat(["Forward", "TrainStep", "Outputs", "TensorOutputs", "ModelCode", "Mlp"])
            .Distinct()
            .ToList();
        Assert.Contains("ShapeOf", names);
        Assert.Contains("ForwardPass", names);
        Assert.Contains("MemberwiseClone", names);
        var compilation = Compilation.Load(Modelc.File("examples/mlp/mlp.mdl"), new CompilationOptions { StandardLibrary = Modelc.Stdlib });
        var mlp = Assert.Single(Bind(compilation));
        var manifest = mlp.Code.Inference.Manifest;
        var buffer = manifest.TensorsOf(TensorRole.Parameter).First().Buffer;
        var renamed = manifest with
        {
            Tensors = [.. manifest.Tensors.Where(t => t.Role != TensorRole.Parameter), .. names.Select(n => new TensorSpec(n, TensorRole.Parameter, buffer))],
        };
        var binding = mlp with { Code = mlp.Code with { Inference = mlp.Code.Inference with { Manifest = renamed } } };

        var documentation = CompileToDocumentation("mlp.mdl", [binding]);

        foreach (var name in names)
        {
            Assert.Contains($"<c>{name}</c>", documentation, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EmitSourceWritesTheCodeTheBundleAndTheDependencies()
    {
        using var scratch = new ScratchFolder();
        var deps = Path.Combine(scratch.Path, "mlp.deps");
        var result = Modelc.Run("build", Modelc.File("examples/mlp/mlp.mdl"), "--stdlib", Modelc.Stdlib, "-o", scratch.Path, "--emit", "source", "--namespace", "Demo.Models", "--deps", deps, "--visibility", "internal");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            new[] { Path.Combine(Modelc.Stdlib, "nn.mdl"), Modelc.File("examples/mlp/mlp.mdl") }.Order(StringComparer.Ordinal),
            File.ReadAllText(deps).TrimEnd('\n').Split(';'));
        Assert.Equal(["mlp.deps", "mlp.g.cs", "mlp.modelc"], Directory.GetFileSystemEntries(scratch.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var source = File.ReadAllText(Path.Combine(scratch.Path, "mlp.g.cs"));
        Assert.Contains("namespace Demo.Models;", source, StringComparison.Ordinal);
        Assert.Contains("\ninternal sealed class Mlp : global::ModelC.Runtime.Bindings.CompiledModel\n", source, StringComparison.Ordinal);
        using var bundle = File.OpenRead(Path.Combine(scratch.Path, "mlp.modelc"));
        var model = Assert.Single(ModelBundle.Read(bundle, "mlp.modelc")).Value;
        Assert.Equal("Mlp", model.Name);
        Assert.Null(model.Inference.Manifest.Training);
        Assert.Equal("optimizer.lr", model.Training?.Manifest.Training?.LearningRateInput);
        Assert.Equal(0x7F, model.Inference.Library[0]);
    }

    [Fact]
    public void TheMembersDocsDotnetShowsAreTheGeneratedOnes()
    {
        using var scratch = new ScratchFolder();
        var result = Modelc.Run("build", Modelc.File("examples/mlp/mlp.mdl"), "--stdlib", Modelc.Stdlib, "-o", scratch.Path, "--emit", "source");
        Assert.True(result.ExitCode == 0, result.ToString());
        var generated = File.ReadAllText(Path.Combine(scratch.Path, "mlp.g.cs"))
            .Replace("global::System.Numerics.Tensors.", "", StringComparison.Ordinal).Replace("global::System.", "", StringComparison.Ordinal);

        // The C# block of docs/dotnet.md, member by member, without comments and bodies.
        var block = File.ReadAllText(RepositoryPaths.Get("docs", "dotnet.md")).Split("```csharp")[1].Split("```")[0];
        var members = block.Split('\n').Select(l => l.Split("//")[0].Trim()).Where(l => l.StartsWith("public ", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, members.Count);
        foreach (var member in members)
        {
            var signature = member.Replace("ModelC.Runtime.Bindings.", "global::ModelC.Runtime.Bindings.", StringComparison.Ordinal)
                .Replace(" { get; }", " =>", StringComparison.Ordinal).TrimEnd(';');
            Assert.Contains(signature, generated, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void InternalClassesCompileAndAreNotPublic()
    {
        var path = Modelc.File("examples/mlp/mlp.mdl");
        var bindings = Bind(Compilation.Load(path, new CompilationOptions { StandardLibrary = Modelc.Stdlib }));
        using var scratch = new ScratchFolder();
        var assembly = Path.Combine(scratch.Path, "Models.dll");
        foreach (var visibility in Enum.GetValues<ClassVisibility>())
        {
            var source = BindingSource.Generate(path, "Demo", bindings, visibility);
            BindingAssembly.Compile("Models", source, BindingSource.ResourceName(path), [], assembly, Path.ChangeExtension(assembly, ".xml"));
            var context = new System.Runtime.Loader.AssemblyLoadContext(visibility.ToString(), isCollectible: true);
            try
            {
                var type = context.LoadFromStream(new MemoryStream(File.ReadAllBytes(assembly))).GetType("Demo.Mlp", throwOnError: true)!;
                Assert.Equal(visibility == ClassVisibility.Public, type.IsPublic);
                Assert.True(type.GetMethod("Forward", [typeof(ReadOnlySpan<float>)])?.IsPublic, "the members stay public");
            }
            finally
            {
                context.Unload();
            }
        }
    }

    [Fact]
    public void AnUnknownVisibilityIsAUsageError()
    {
        using var scratch = new ScratchFolder();
        var result = Modelc.Run("build", Modelc.File("examples/mlp/mlp.mdl"), "-o", scratch.Path, "--emit", "source", "--visibility", "private");
        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("'private'", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(scratch.Path));
    }

    [Fact]
    public void MsBuildDiagnosticsAreCanonicalErrorLinesWithTheSpan()
    {
        using var scratch = new ScratchFolder();
        var file = scratch.Write("bad.mdl", "model X(B: batch) {\n    input x: f32[B, 4];\n    output y = foo(x);\n}\n");

        var result = Modelc.Run("build", file, "-o", scratch.Path, "--emit", "source", "--diagnostic-format", "msbuild");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"{file}(3,16,3,19): error MC2001: unknown name 'foo'\n", result.Error);
        Assert.Equal(["bad.mdl"], Directory.GetFileSystemEntries(scratch.Path).Select(Path.GetFileName));
    }

    private static List<ModelBinding> Bind(Compilation compilation) =>
    [
        .. compilation.Models.Select(symbol =>
        {
            var inference = Program(compilation, symbol, ExecutionMode.Inference);
            return new ModelBinding(new BundledModel(symbol.Name, inference, symbol.HasLoss ? Program(compilation, symbol, ExecutionMode.Training) : null), symbol.Documentation);
        }),
    ];

    private static BundledProgram Program(Compilation compilation, Compiler.Semantics.Symbols.ModelSymbol symbol, ExecutionMode mode)
    {
        var elaborated = compilation.Elaborate(symbol, mode);
        Assert.True(elaborated.Model is not null, string.Join("\n", elaborated.Diagnostics));
        return new BundledProgram(ModelCompiler.Compile(elaborated.Model, CpuTarget.Host, new CompileOptions { Code = CodeForm.ManifestOnly }).Manifest, []);
    }

    private static string CompileToDocumentation(string file, List<ModelBinding> bindings)
    {
        using var scratch = new ScratchFolder();
        var assembly = Path.Combine(scratch.Path, "Models.dll");
        var documentation = Path.ChangeExtension(assembly, ".xml");
        BindingAssembly.Compile("Models", BindingSource.Generate(file, "Demo", bindings), BindingSource.ResourceName(file), [], assembly, documentation);
        return File.ReadAllText(documentation);
    }
}
