// The ModelC language: declarative neural architectures.
// Regenerate the C# parser with `bash grammar/generate.sh` after any change here;
// a test fails when the committed files under grammar/Generated do not match this grammar.
grammar ModelC;

// ---------------------------------------------------------------------------------------------
// Files and declarations
// ---------------------------------------------------------------------------------------------

compilationUnit
    : (importDecl | declaration)* EOF
    ;

importDecl
    : IMPORT (qualifiedName | STRING) SEMI
    ;

qualifiedName
    : IDENT (DOT IDENT)*
    ;

declaration
    : blockDecl
    | modelDecl
    | constDecl
    ;

// `const n = 4;` a named compile-time value.
constDecl
    : CONST IDENT (COLON typeRef)? ASSIGN expr SEMI
    ;

// Point-free: `block conv(out: int) = route im2col(3, 1, 1) [ linear(out) ] col2im;`
// Dataflow:   `block vcycle(f: tensor, u: tensor, c: int) { let a = ...; return a; }`
blockDecl
    : BLOCK IDENT (LPAREN paramList? RPAREN)? (ASSIGN expr SEMI | body)
    ;

modelDecl
    : MODEL IDENT (LPAREN paramList? RPAREN)? body
    ;

paramList
    : param (COMMA param)* COMMA?
    ;

param
    : IDENT COLON typeRef (ASSIGN expr)?
    ;

// `int`, `float`, `bool`, `padding`, `block`, `tensor`, `batch`, `int[]`, `f32[B, 784]`.
typeRef
    : typeName (LBRACK (expr (COMMA expr)*)? RBRACK)?
    ;

// `block` and `optimizer` are keywords and also the types of parameters.
typeName
    : IDENT
    | BLOCK
    | OPTIMIZER
    ;

body
    : LBRACE statement* RBRACE
    ;

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

statement
    : LET IDENT ASSIGN expr SEMI                          # letStatement
    | RETURN expr SEMI                                    # returnStatement
    | ifStatement                                         # ifStatementAlt
    | INPUT IDENT COLON typeRef SEMI                      # inputStatement
    | OUTPUT IDENT (COLON typeRef)? ASSIGN expr SEMI      # outputStatement
    | LOSS expr SEMI                                      # lossStatement
    | OPTIMIZER expr SEMI                                 # optimizerStatement
    | ASSERT expr (COMMA STRING)? SEMI                    # assertStatement
    ;

ifStatement
    : IF expr body (ELSE (body | ifStatement))?
    ;

// ---------------------------------------------------------------------------------------------
// Expressions, from the tightest binding to the loosest
// ---------------------------------------------------------------------------------------------

expr
    : primary                                             # primaryExpr
    | expr LPAREN argList? RPAREN                         # callExpr
    | expr DOT IDENT                                      # memberExpr
    | expr LBRACK subscript (COMMA subscript)* COMMA? RBRACK  # indexExpr
    | op=(MINUS | BANG) expr                              # unaryExpr
    | expr op=(STAR | SLASH | PERCENT | AT) expr          # multiplicativeExpr
    | expr op=(PLUS | MINUS) expr                         # additiveExpr
    | expr op=(LT | LE | GT | GE) expr                    # relationalExpr
    | expr op=(EQ | NE) expr                              # equalityExpr
    | expr AND expr                                       # andExpr
    | expr OR expr                                        # orExpr
    | expr SEQ expr                                       # sequenceExpr
    | <assoc = right> expr QUESTION expr COLON expr       # conditionalExpr
    ;

primary
    : INT                                                 # intLiteral
    | FLOAT                                               # floatLiteral
    | STRING                                              # stringLiteral
    | (TRUE | FALSE)                                      # boolLiteral
    | IDENT                                               # nameRef
    | LPAREN expr RPAREN                                  # parenthesized
    | LBRACK (expr (COMMA expr)* COMMA?)? RBRACK          # listLiteral
    | BRANCH head LBRACK expr (COMMA expr)* COMMA? RBRACK MERGE head   # branchExpr
    | ROUTE head LBRACK expr RBRACK head                  # routeExpr
    ;

// One position of an index: `i`, or a slice `start:stop:step` with every part optional.
subscript
    : expr? COLON expr? (COLON expr?)?                    # sliceSubscript
    | expr                                                # elementSubscript
    ;

// The operator positions of `branch`/`route`: a name, optionally called with arguments.
// Kept narrower than `expr` so that `[` after it opens the branch list, not an index.
head
    : IDENT (LPAREN argList? RPAREN)?
    ;

argList
    : arg (COMMA arg)* COMMA?
    ;

arg
    : (IDENT ASSIGN)? expr
    ;

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

IMPORT    : 'import';
BLOCK     : 'block';
MODEL     : 'model';
CONST     : 'const';
LET       : 'let';
RETURN    : 'return';
IF        : 'if';
ELSE      : 'else';
INPUT     : 'input';
OUTPUT    : 'output';
LOSS      : 'loss';
OPTIMIZER : 'optimizer';
ASSERT    : 'assert';
BRANCH    : 'branch';
MERGE     : 'merge';
ROUTE     : 'route';
TRUE      : 'true';
FALSE     : 'false';

SEQ      : '>>';
LE       : '<=';
GE       : '>=';
EQ       : '==';
NE       : '!=';
AND      : '&&';
OR       : '||';
LT       : '<';
GT       : '>';
ASSIGN   : '=';
PLUS     : '+';
MINUS    : '-';
STAR     : '*';
SLASH    : '/';
PERCENT  : '%';
AT       : '@';
BANG     : '!';
QUESTION : '?';
COLON    : ':';
SEMI     : ';';
COMMA    : ',';
DOT      : '.';
LPAREN   : '(';
RPAREN   : ')';
LBRACK   : '[';
RBRACK   : ']';
LBRACE   : '{';
RBRACE   : '}';

FLOAT
    : DIGITS '.' DIGITS? EXPONENT?
    | DIGITS EXPONENT
    | '.' DIGITS EXPONENT?
    ;

INT
    : DIGITS
    ;

// Names are ASCII; letters beyond ASCII are lexed into the name so that the compiler can say
// so once for the whole name instead of once per character.
IDENT
    : [a-zA-Z_\p{L}] [a-zA-Z_0-9\p{L}\p{N}]*
    ;

STRING
    : '"' (ESCAPE | ~["\\\r\n])* '"'
    ;

// A string that reaches the end of its line: reported as a diagnostic, not a lexer failure.
UNTERMINATED_STRING
    : '"' (ESCAPE | ~["\\\r\n])* '\\'? -> channel(3)
    ;

// `///` lines document the declaration that follows them.
DOC_COMMENT
    : '///' ~[\r\n]* -> channel(2)
    ;

LINE_COMMENT
    : '//' ~[\r\n]* -> channel(HIDDEN)
    ;

BLOCK_COMMENT
    : '/*' .*? '*/' -> channel(HIDDEN)
    ;

// Only matches when no `*/` follows, so a closed comment never takes this rule.
UNTERMINATED_COMMENT
    : '/*' (~'*' | '*'+ ~[*/])* '*'* EOF -> channel(3)
    ;

WS
    : [ \t\r\n\f]+ -> channel(HIDDEN)
    ;

// Anything else becomes a token of its own on channel 3: reported with its position, then
// kept away from the parser so one stray character costs one diagnostic.
UNKNOWN_CHAR
    : . -> channel(3)
    ;

fragment DIGITS
    : [0-9] ('_'? [0-9])*
    ;

fragment EXPONENT
    : [eE] [+-]? DIGITS
    ;

// An escape never swallows a line break, so an unterminated string stops at the line's end.
fragment ESCAPE
    : '\\' ~[\r\n]
    ;
