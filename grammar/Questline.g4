// Questline grammar. Generated into the build tree by Debian's antlr4 (4.7.2);
// the only consumer is compiler/syntax/, which turns parse trees into ast::Module.
// Only the words that start a declaration, the literals and the operators are
// reserved; every other keyword is contextual and may name things (see `ident`),
// and every keyword is usable as a field or member name (see `name`).
grammar Questline;

// ---------------------------------------------------------------- package

module : decl* EOF ;

decl
  : typeDecl | eventDecl | extendEventDecl | profileDecl | extendProfileDecl
  | currencyDecl | settingsDecl | constDecl | fnDecl | metricDecl | segmentDecl
  | ruleDecl | levelDecl | badgeDecl | missionDecl | leaderboardDecl
  | tournamentDecl | itemDecl | minigameDecl | raffleDecl | flowDecl | policyDecl
  | ';'
  ;

// ---------------------------------------------------------------- schema

typeDecl          : TYPE ident '=' unionType ;
unionType         : STRING ('|' STRING)* ;
typeRef           : unionType | name ;

eventDecl         : EVENT ident fieldBlock ;
extendEventDecl   : EXTEND EVENT ident fieldBlock ;
profileDecl       : PROFILE fieldBlock ;
extendProfileDecl : EXTEND PROFILE fieldBlock ;
fieldBlock        : '{' (field (',' | ';')?)* '}' ;
field             : name ':' typeRef ('=' expr)? ;

currencyDecl      : CURRENCY ident ;
settingsDecl      : SETTINGS '{' (setting ';'?)* '}' ;
setting           : name expr ;
constDecl         : CONST ident (':' typeRef)? '=' expr ;
fnDecl            : FN ident '(' (param (',' param)*)? ')' '->' typeRef '=' expr ;
param             : name ':' typeRef ;

// ---------------------------------------------------------------- metrics, segments

metricDecl        : METRIC ident '=' expr ;
segmentDecl       : SEGMENT ident '=' (IMPORTED | expr (LOCKED AT expr)?) ;

// ---------------------------------------------------------------- rules, levels, badges

ruleDecl          : RULE ident ON ident (WHERE expr)? '{' ruleItem* '}' ;
ruleItem          : stmt | capClause | limitClause | ';' ;
capClause         : CAP expr ident (PER period)? ;
limitClause       : LIMIT expr (PER period)? ;
period            : DAY | WEEK | MONTH ;

levelDecl         : LEVEL ident '{' levelItem* '}' ;
levelItem         : AT expr | ON REACH block | ';' ;

badgeDecl         : BADGE ident '{' badgeItem* '}' ;
badgeItem         : WHEN expr | ON EARN block | ';' ;

// ---------------------------------------------------------------- missions

missionDecl       : MISSION ident '{' missionItem* '}' ;
missionItem
  : TITLE STRING                                   # missionTitle
  | AUDIENCE expr                                  # missionAudience
  | UNLOCK ON ident (WHERE expr)?                  # unlockOnEvent
  | UNLOCK AFTER MISSION ident                     # unlockAfterMission
  | UNLOCK AT LEVEL ident                          # unlockAtLevel
  | OPT_IN                                         # missionOptIn
  | GIVEN                                          # missionGiven
  | ACTIVE expr DOTDOT expr                        # missionActive
  | RECURRING recurrence                           # missionRecurring
  | TIME_LIMIT expr                                # missionTimeLimit
  | ORDERED                                        # missionOrdered
  | TASK name STRING? '{' expr stmt* '}'           # missionTask
  | REWARD block                                   # missionReward
  | MAX_COMPLETIONS expr                           # missionMaxCompletions
  | ';'                                            # missionEmpty
  ;
recurrence        : DAILY | WEEKLY | MONTHLY | ON_COMPLETION ;

// ---------------------------------------------------------------- competitions

leaderboardDecl   : LEADERBOARD ident '{' competitionItem* '}' ;
tournamentDecl    : TOURNAMENT ident '{' competitionItem* '}' ;
competitionItem
  : TITLE STRING                                   # compTitle
  | SCORE (POINTS_EARNED | expr)                   # compScore
  | PERIOD (DAILY | WEEKLY | MONTHLY)              # compPeriod
  | AUDIENCE expr                                  # compAudience
  | WINDOW expr DOTDOT expr                        # compWindowFixed
  | WINDOW EVERY (DAY | WEEK) weekday? TIME_OF_DAY DOTDOT weekday? TIME_OF_DAY # compWindowRecurring
  | REGISTER (BUY_IN expr ident)?                  # compRegister
  | HAPPY_HOURS '{' happyHour* '}'                 # compHappyHours
  | MIN_SCORE expr                                 # compMinScore
  | MIN_PLAYERS expr                               # compMinPlayers
  | MAX_PLAYERS expr                               # compMaxPlayers
  | PRIZES '{' rankPrize* '}'                      # compPrizes
  | ';'                                            # compEmpty
  ;
happyHour         : weekday TIME_OF_DAY '-' TIME_OF_DAY IDENT ;   // IDENT is the multiplier, `x2`
rankPrize         : INT (DOTDOT INT)? ':' stmt* ;
weekday           : MON | TUE | WED | THU | FRI | SAT | SUN ;

// ---------------------------------------------------------------- store, mini-games, raffles

itemDecl          : ITEM ident '{' itemClause* '}' ;
itemClause
  : TITLE STRING                                   # itemTitle
  | PRICE expr ident                               # itemPrice
  | AUDIENCE expr                                  # itemAudience
  | LIMIT expr (PER period)?                       # itemLimit
  | STOCK expr                                     # itemStock
  | ON PURCHASE block                              # itemOnPurchase
  | ';'                                            # itemEmpty
  ;

minigameDecl      : MINIGAME ident '{' minigameClause* '}' ;
minigameClause
  : TITLE STRING                                   # gameTitle
  | KIND ident                                     # gameKind
  | COST expr ident                                # gameCost   // `attempt`, `attempts` or a currency
  | AUDIENCE expr                                  # gameAudience
  | LIMIT expr (PER period)?                       # gameLimit
  | PRIZE name WEIGHT expr (STOCK expr)? block?    # gamePrize
  | ';'                                            # gameEmpty
  ;

raffleDecl        : RAFFLE ident '{' raffleClause* '}' ;
raffleClause
  : TITLE STRING                                   # raffleTitle
  | AUDIENCE expr                                  # raffleAudience
  | DRAW AT expr                                   # raffleDraw
  | PRIZE name COUNT expr (MAX_PER_USER expr)? block? # rafflePrize
  | MAX_PRIZES_PER_USER expr                       # raffleMaxPrizes
  | ';'                                            # raffleEmpty
  ;

// ---------------------------------------------------------------- flows, policies

flowDecl          : FLOW ident '{' flowItem* '}' ;
flowItem
  : ON ENTER ident                                 # flowOnEnter
  | ON EXIT ident                                  # flowOnExit
  | ON ident (WHERE expr)?                         # flowOnEvent
  | EVERY (DAY | weekday) AT TIME_OF_DAY           # flowEvery
  | AUDIENCE expr                                  # flowAudience
  | HOLDOUT expr                                   # flowHoldout
  | REENTER AFTER expr                             # flowReenter
  | stmt                                           # flowStep
  | ';'                                            # flowEmpty
  ;

policyDecl        : POLICY ident '{' policyClause* '}' ;
policyClause
  : BLOCK (REWARDS | MESSAGES) WHEN expr           # policyBlock
  | CAP MESSAGES expr (PER period)?                # policyCap
  | QUIET_HOURS TIME_OF_DAY '-' TIME_OF_DAY (FOR ident (',' ident)*)? # policyQuietHours
  | ';'                                            # policyEmpty
  ;

// ---------------------------------------------------------------- statements

block : '{' stmt* '}' ;

stmt
  : AWARD ident expr                               # awardStmt
  | DEDUCT ident expr                              # deductStmt
  | GRANT BONUS expr                               # grantStmt
  | SEND ident expr sendData?                      # sendStmt
  | UNLOCK MISSION ident                           # unlockStmt
  | GIVE MISSION ident                             # giveMissionStmt
  | GIVE ATTEMPTS ident expr                       # giveAttemptsStmt
  | GIVE TICKETS ident expr                        # giveTicketsStmt
  | TAG expr                                       # tagStmt
  | UNTAG expr                                     # untagStmt
  | LET ident '=' expr                             # letStmt
  | IF expr block (ELSE (ifTail | block))?         # ifStmt
  | WAIT FOR ident (WHERE expr)? WITHIN expr block (TIMEOUT block)? # waitForStmt
  | WAIT expr                                      # waitStmt
  | SPLIT '{' splitBranch* '}'                     # splitStmt
  | CHOOSE BY BANDIT REWARD ident (WHERE rewardWhere=expr)? WITHIN within=expr
    (CONTEXT '(' (features+=expr (',' features+=expr)*)? ')')?
    (POLICY policyName=ident ('(' policyParam=expr ')')?)? '{' banditArm* '}' # chooseStmt
  | EXIT                                           # exitStmt
  | ';'                                            # emptyStmt
  ;
ifTail      : IF expr block (ELSE (ifTail | block))? ;
sendData    : '{' (sendField (',' sendField)* ','?)? '}' ;
sendField   : name ':' expr ;
splitBranch : PERCENT ':' block ;
banditArm   : ARM ident block ;

// ---------------------------------------------------------------- expressions

expr
  : orExpr ;
orExpr      : andExpr (OR andExpr)* ;
andExpr     : notExpr (AND notExpr)* ;
notExpr     : NOT notExpr | compareExpr ;
compareExpr : addExpr (compareOp addExpr)? ;
compareOp   : '==' | '!=' | '<' | '<=' | '>' | '>=' ;
addExpr     : mulExpr (('+' | '-') mulExpr)* ;
mulExpr     : unaryExpr (('*' | '/') unaryExpr)* ;
unaryExpr   : '-' unaryExpr | postfixExpr ;
postfixExpr : primary ('.' name)* ;
primary
  : literal                                        # literalPrimary
  | aggregateFn '(' expr (WHERE expr)? ')' (OVER window)? # aggregatePrimary
  | name '(' (expr (',' expr)*)? ')'               # callPrimary
  | '(' expr ')'                                   # parenPrimary
  | name                                           # namePrimary
  ;
aggregateFn : COUNT | SUM | MIN | MAX | AVG | FIRST | LAST | TOP | DISTINCT_DAYS | STREAK_DAYS | STREAK_WEEKS ;
window      : LAST unaryExpr | TODAY | THIS (WEEK | MONTH) ;   // `last 7d >= 3` compares the aggregate
literal     : TRUE | FALSE | INT | DECIMAL | STRING | DURATION | PERCENT | TIME_OF_DAY | INSTANT | weekday ;

// A declaration's name or a reference to one: an identifier or a contextual
// keyword. Reserved are only the words that start a declaration, the weekday,
// boolean and operator words (docs/language.md); keep this list in step with
// IsContextualKeyword in compiler/syntax/keywords.cpp.
ident
  : IDENT | IMPORTED | LOCKED | ON | WHERE | CAP | LIMIT | PER | DAY | WEEK | MONTH
  | AT | REACH | WHEN | EARN | TITLE | AUDIENCE | UNLOCK | AFTER | OPT_IN | GIVEN | ACTIVE
  | RECURRING | DAILY | WEEKLY | MONTHLY | ON_COMPLETION | TIME_LIMIT | ORDERED | TASK
  | REWARD | MAX_COMPLETIONS | SCORE | POINTS_EARNED | PERIOD | WINDOW | EVERY
  | REGISTER | BUY_IN | HAPPY_HOURS | MIN_SCORE | MIN_PLAYERS | MAX_PLAYERS | PRIZES
  | PRICE | STOCK | PURCHASE | KIND | COST | ATTEMPT | ATTEMPTS | PRIZE | WEIGHT
  | DRAW | COUNT | MAX_PER_USER | MAX_PRIZES_PER_USER | ENTER | EXIT | HOLDOUT
  | REENTER | BLOCK | REWARDS | MESSAGES | QUIET_HOURS | FOR | AWARD | DEDUCT | GRANT
  | BONUS | SEND | GIVE | TICKETS | TAG | UNTAG | LET | IF | ELSE | WAIT | WITHIN
  | TIMEOUT | SPLIT | CHOOSE | BY | BANDIT | CONTEXT | ARM | SUM | MIN | MAX | AVG
  | FIRST | LAST | TOP | DISTINCT_DAYS | STREAK_DAYS | STREAK_WEEKS | OVER | TODAY
  | THIS
  ;

// Any identifier or keyword, where only a name can stand (fields, members, calls):
// here even the reserved declaration and weekday words are names.
name
  : ident | TYPE | EVENT | EXTEND | PROFILE | CURRENCY | SETTINGS | CONST | FN | METRIC
  | SEGMENT | RULE | LEVEL | BADGE | MISSION | LEADERBOARD | TOURNAMENT | ITEM
  | MINIGAME | RAFFLE | FLOW | POLICY | MON | TUE | WED | THU | FRI | SAT | SUN
  ;

// ---------------------------------------------------------------- lexer

TYPE: 'type'; EVENT: 'event'; EXTEND: 'extend'; PROFILE: 'profile';
CURRENCY: 'currency'; SETTINGS: 'settings'; CONST: 'const'; FN: 'fn';
METRIC: 'metric'; SEGMENT: 'segment'; IMPORTED: 'imported'; LOCKED: 'locked';
RULE: 'rule'; ON: 'on'; WHERE: 'where'; CAP: 'cap'; LIMIT: 'limit'; PER: 'per';
DAY: 'day'; WEEK: 'week'; MONTH: 'month'; LEVEL: 'level'; AT: 'at'; REACH: 'reach';
BADGE: 'badge'; WHEN: 'when'; EARN: 'earn'; MISSION: 'mission'; TITLE: 'title';
AUDIENCE: 'audience'; UNLOCK: 'unlock'; AFTER: 'after'; OPT_IN: 'opt_in'; GIVEN: 'given';
ACTIVE: 'active'; RECURRING: 'recurring'; DAILY: 'daily'; WEEKLY: 'weekly';
MONTHLY: 'monthly'; ON_COMPLETION: 'on_completion'; TIME_LIMIT: 'time_limit';
ORDERED: 'ordered'; TASK: 'task'; REWARD: 'reward'; MAX_COMPLETIONS: 'max_completions';
LEADERBOARD: 'leaderboard'; TOURNAMENT: 'tournament'; SCORE: 'score';
POINTS_EARNED: 'points_earned'; PERIOD: 'period'; WINDOW: 'window'; EVERY: 'every';
REGISTER: 'register'; BUY_IN: 'buy_in'; HAPPY_HOURS: 'happy_hours';
MIN_SCORE: 'min_score'; MIN_PLAYERS: 'min_players'; MAX_PLAYERS: 'max_players';
PRIZES: 'prizes'; ITEM: 'item'; PRICE: 'price'; STOCK: 'stock'; PURCHASE: 'purchase';
MINIGAME: 'minigame'; KIND: 'kind'; COST: 'cost'; ATTEMPT: 'attempt';
ATTEMPTS: 'attempts'; PRIZE: 'prize'; WEIGHT: 'weight'; RAFFLE: 'raffle';
DRAW: 'draw'; COUNT: 'count'; MAX_PER_USER: 'max_per_user';
MAX_PRIZES_PER_USER: 'max_prizes_per_user'; FLOW: 'flow'; ENTER: 'enter';
EXIT: 'exit'; HOLDOUT: 'holdout'; REENTER: 'reenter'; POLICY: 'policy';
BLOCK: 'block'; REWARDS: 'rewards'; MESSAGES: 'messages'; QUIET_HOURS: 'quiet_hours';
FOR: 'for'; AWARD: 'award'; DEDUCT: 'deduct'; GRANT: 'grant'; BONUS: 'bonus';
SEND: 'send'; GIVE: 'give'; TICKETS: 'tickets'; TAG: 'tag'; UNTAG: 'untag';
LET: 'let'; IF: 'if'; ELSE: 'else'; WAIT: 'wait'; WITHIN: 'within';
TIMEOUT: 'timeout'; SPLIT: 'split'; CHOOSE: 'choose'; BY: 'by'; BANDIT: 'bandit';
CONTEXT: 'context'; ARM: 'arm'; SUM: 'sum'; MIN: 'min'; MAX: 'max'; AVG: 'avg';
FIRST: 'first'; LAST: 'last'; TOP: 'top'; DISTINCT_DAYS: 'distinct_days';
STREAK_DAYS: 'streak_days'; STREAK_WEEKS: 'streak_weeks'; OVER: 'over';
TODAY: 'today'; THIS: 'this'; AND: 'and'; OR: 'or'; NOT: 'not';
TRUE: 'true'; FALSE: 'false';
MON: 'mon'; TUE: 'tue'; WED: 'wed'; THU: 'thu'; FRI: 'fri'; SAT: 'sat'; SUN: 'sun';

DOTDOT : '..' ;

// Longest match decides between these and INT: `2026-12-05T00:00Z` is one instant,
// `7d` one duration, `10%` one percentage, `10:00` one time of day.
INSTANT
  : DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT '-' DIGIT DIGIT 'T' DIGIT DIGIT ':' DIGIT DIGIT
    (':' DIGIT DIGIT ('.' DIGIT+)?)? ('Z' | ('+' | '-') DIGIT DIGIT ':' DIGIT DIGIT)
  ;
TIME_OF_DAY : DIGIT DIGIT? ':' DIGIT DIGIT ;
DURATION    : DIGITS ('ms' | 's' | 'm' | 'h' | 'd' | 'w') ;
PERCENT     : DIGITS ('.' DIGITS)? '%' ;
DECIMAL     : DIGITS '.' DIGITS ;
INT         : DIGITS ;
STRING      : '"' (ESC | ~["\\\r\n])* '"' ;
IDENT       : [A-Za-z_] [A-Za-z0-9_]* ;

// Unterminated forms are tokens of their own so the adapter can name the mistake.
UNTERMINATED_STRING  : '"' (ESC | ~["\\\r\n])* ;
UNTERMINATED_COMMENT : '/*' ( ~[*] | '*'+ ~[*/] )* '*'* EOF ;

LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
WS            : [ \t\r\n\f]+ -> skip ;

// Anything else is one bad character; the adapter reports it and parsing goes on.
BAD_CHAR : . ;

fragment DIGIT  : [0-9] ;
fragment DIGITS : DIGIT ('_'? DIGIT)* ;
fragment ESC    : '\\' ( ["\\nt] | 'u{' [0-9A-Fa-f]+ '}' ) | '\\' . ;
