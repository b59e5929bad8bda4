namespace ModelC.Compiler.Syntax;

/// <summary>How tightly expressions bind, from the loosest (<see cref="Conditional"/>) to the tightest (<see cref="Primary"/>).</summary>
public enum Precedence
{
    /// <summary><c>c ? a : b</c>, right-associative.</summary>
    Conditional,

    /// <summary><c>a &gt;&gt; b</c></summary>
    Sequence,

    /// <summary><c>a || b</c></summary>
    Or,

    /// <summary><c>a &amp;&amp; b</c></summary>
    And,

    /// <summary><c>a == b</c>, <c>a != b</c></summary>
    Equality,

    /// <summary><c>a &lt; b</c>, <c>a &lt;= b</c>, <c>a &gt; b</c>, <c>a &gt;= b</c></summary>
    Relational,

    /// <summary><c>a + b</c>, <c>a - b</c></summary>
    Additive,

    /// <summary><c>a * b</c>, <c>a / b</c>, <c>a % b</c>, <c>a @ b</c></summary>
    Multiplicative,

    /// <summary><c>-a</c>, <c>!a</c></summary>
    Prefix,

    /// <summary><c>f(x)</c>, <c>x.shape</c>, <c>x[0]</c></summary>
    Postfix,

    /// <summary>Literals, names, <c>( … )</c>, lists, <c>branch</c> and <c>route</c>.</summary>
    Primary,
}
