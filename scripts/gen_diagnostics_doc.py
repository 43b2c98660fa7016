#!/usr/bin/env python3
"""Writes docs/diagnostics.md: every code of compiler/diag/diagnostics.def with its
meaning, fix (from the table below) and a minimal example (the golden test that
triggers it). Run after adding a code; the coverage test fails until you do."""
import pathlib, re

ROOT = pathlib.Path(__file__).resolve().parent.parent
MEANING = {
 'Q0101': ('A character that cannot start any token, outside strings and comments.', 'Remove it; Questline source is ASCII outside strings and comments.'),
 'Q0102': ('A string literal is not closed before the end of its line.', 'Add the closing `"`; strings do not span lines (use `\\n`).'),
 'Q0103': ('A `/*` comment reaches the end of the file.', 'Close it with `*/`.'),
 'Q0104': ('A backslash escape other than `\\" \\\\ \\n \\t \\u{…}`.', 'Use one of the supported escapes.'),
 'Q0105': ('Bytes that are not valid UTF-8.', 'Save the file as UTF-8.'),
 'Q0106': ('The parser expected something else here; the message names what, in plain words. A reserved word (a declaration word such as `rule`, `true false`, `and or not`, a weekday) where a name belongs is named as such; clause words such as `score` or `daily` are names.', 'Write what the message asks for; an unclosed `{` is reported at the brace; rename a declaration named with a reserved word.'),
 'Q0107': ('A token that does not belong in this clause.', 'Remove it.'),
 'Q0108': ('Brackets or prefix operators nested deeper than 200 levels.', 'Split the expression with `let` or a `fn`.'),
 'Q0109': ('A literal of the right shape but an impossible value (25:00, Feb 30, 7 decimals).', 'Fix the value.'),
 'Q0110': ('A clause that may appear once appears twice.', 'Keep one.'),
 'Q0111': ('A declaration misses a clause it needs (a level without `at`, a mission without a task).', 'Add the clause.'),
 'Q0112': ('A happy-hour multiplier is not written `xN`.', 'Write `x2`, `x3`, …'),
 'Q0113': ('A source file above 8 MiB.', 'Split the package into several files.'),
 'Q0114': ('A setting other than `timezone`, `week_starts`, `seed`.', 'Use a known setting.'),
 'Q0115': ('A file with no declaration (warning).', 'Add declarations or delete the file.'),
 'Q0116': ('A mini-game `kind` other than wheel, scratch, ballanza.', 'Use a known kind.'),
 'Q0201': ('A name that is not declared (did-you-mean when a close name exists).', 'Fix the spelling or declare it.'),
 'Q0202': ('An event that neither the prelude nor the package declares.', 'Fix the name or declare `event NAME { … }`.'),
 'Q0203': ('An event field that the event does not have.', 'Fix the name or add it with `extend event`.'),
 'Q0204': ('A name declared twice in the package (one namespace), a prelude name (`GameType`, `bet`) declared again, or a built-in name reused. Reported once: the first declaration is kept and uses of the redeclaration report nothing more.', 'Rename one; the note shows the first declaration. Add fields to a prelude event with `extend event`.'),
 'Q0205': ('A currency that is not declared (`points` is built in).', 'Declare `currency NAME`.'),
 'Q0206': ('A mission name that is not declared.', 'Fix the name.'),
 'Q0207': ('A level name that is not declared.', 'Fix the name.'),
 'Q0208': ('A segment name that is not declared.', 'Fix the name.'),
 'Q0209': ('A mini-game name that is not declared.', 'Fix the name.'),
 'Q0210': ('A raffle name that is not declared.', 'Fix the name.'),
 'Q0211': ('A function that is neither built in nor declared with `fn`.', 'Fix the name.'),
 'Q0212': ('A type that is neither built in nor declared with `type`.', 'Fix the name.'),
 'Q0213': ('An event variable used where its event is not being processed.', 'Use it in its rule, its aggregate\'s `where`, its `wait for` block or its trigger.'),
 'Q0214': ('A profile field that the profile does not have.', 'Fix the name or add it with `extend profile`.'),
 'Q0215': ('A field (or union value) declared twice.', 'Remove one.'),
 'Q0216': ('Two tasks of a mission, or two prizes of a game, with one name.', 'Rename one.'),
 'Q0217': ('A channel other than inbox, popup, push, email, sms, webhook.', 'Use a known channel.'),
 'Q0301': ('An operator applied to types it does not support (`string + int`).', 'Compare like with like; convert with floor/ceil/round.'),
 'Q0302': ('A condition (`where`, `when`, audience, `if`) that is not a bool.', 'Compare the value: `x > 0`.'),
 'Q0303': ('A string literal that is not a value of the union it is compared with.', 'Use one of the union\'s values (the hint suggests the nearest, or lists the first values).'),
 'Q0304': ('A comparison between incompatible types.', 'Compare like with like.'),
 'Q0305': ('A call with the wrong number of arguments.', 'Pass the arguments the function declares.'),
 'Q0306': ('An argument of the wrong type.', 'Pass a value of the declared type.'),
 'Q0307': ('An award, deduction, attempts or tickets amount that is not a number.', 'Use an int (decimals are floored with W0501).'),
 'Q0308': ('A clause (cap, limit, price, window …) whose value is not a constant.', 'Use a literal or a `const`.'),
 'Q0309': ('A clause value of the wrong kind (`time_limit 3`).', 'Use the kind the clause names (`3d`).'),
 'Q0310': ('A `fn` body whose type differs from the declared result.', 'Convert the body or change the result type.'),
 'Q0311': ('An aggregate over the wrong argument (`sum(deposit)`, a non-numeric sum, a metric that is not one aggregate).', 'Aggregate an event (`count(e)`) or a field (`sum(e.f)`).'),
 'Q0312': ('`wait`, `wait for`, `split`, `choose`, `exit` outside a flow.', 'Move the step into a flow.'),
 'Q0313': ('A constant or default whose value does not match its declared type.', 'Fix the value or the type.'),
 'Q0314': ('A settings value that is not valid (unknown timezone, not a weekday).', 'Use an IANA timezone and a weekday.'),
 'Q0315': ('An aggregate where none can be (a `fn` body, a constant).', 'Declare a metric and pass it in.'),
 'Q0316': ('`profile` used without a field.', 'Name the field: `profile.country`.'),
 'Q0317': ('A task goal that is not `AGGREGATE OP THRESHOLD`.', 'Write e.g. `count(bet) >= 50`.'),
 'Q0401': ('Level thresholds not strictly increasing in declaration order.', 'Order the levels by `at`; no two share a threshold.'),
 'Q0402': ('A constant, function, metric or segment that depends on itself.', 'Break the cycle.'),
 'Q0403': ('An empty or inverted interval (`a .. b` with b <= a; quiet hours from = to; happy hour ending before it starts).', 'Write the earlier bound first.'),
 'Q0404': ('Prize ranks that overlap or leave a gap, or do not start at 1.', 'Give each rank from 1 exactly one prize.'),
 'Q0405': ('A weight, price, limit, stock, count, cap or duration that is zero or negative.', 'Use a positive value.'),
 'Q0406': ('A happy hour on a day outside the tournament\'s window.', 'Move it inside the window.'),
 'Q0407': ('`ordered` on a mission with fewer than two tasks.', 'Remove `ordered` or add tasks.'),
 'Q0408': ('`choose by bandit` is parsed but not supported by this version.', 'Use `split` for an A/B test.'),
 'Q0409': ('Split shares that do not add up to 100%.', 'Make the shares add up to 100%.'),
 'Q0410': ('A holdout or split share outside (0%, 100%).', 'Use a percentage strictly between 0% and 100%.'),
 'Q0411': ('A competition without a score, a leaderboard without a period, a tournament without a window.', 'Add the clause.'),
 'Q0412': ('A raffle prize whose `max_per_user` exceeds its count.', 'Lower `max_per_user`.'),
 'Q0413': ('`max_completions` above 1 on a mission that is not recurring.', 'Add `recurring …` or drop `max_completions`.'),
 'Q0414': ('`streak_days` or `streak_weeks` with `over …`: a streak always ends today or yesterday, so a window would be ignored.', 'Drop the window; count days with an event inside one with `distinct_days(x) over …`.'),
 'Q0416': ('A clause duration (`time_limit`, `last D`, `wait`, `within`, `reenter after`) longer than 100 years (36500d), or a clause instant (`active`, `window`, `draw at`, `locked at`) outside the years 0000 to 9999. Beyond them `start + limit` would leave the calendar (or wrap, and expire a mission the moment it starts).', 'Use a duration of at most 36500d and an instant in years 0000-9999; drop the clause for "no limit".'),
 'W0501': ('Rationale: currency amounts are whole numbers; a decimal amount is floored silently at run time, which hides a rounding decision.', 'Write floor(), ceil() or round() explicitly.'),
 'W0502': ('Rationale: every metric is state and work on every event of its type.', 'Use it or remove it.'),
 'W0503': ('Rationale: an unused segment is re-evaluated for nothing (imported segments are exempt).', 'Use it or remove it.'),
 'W0504': ('Rationale: dead configuration misleads the next reader.', 'Use it or remove it.'),
 'W0505': ('Rationale: dead code misleads the next reader.', 'Use it or remove it.'),
 'W0506': ('Rationale: a condition that folds to a constant is either useless (true) or makes its declaration dead (false).', 'Make it depend on the player or remove it.'),
 'W0507': ('Rationale: bets and wins arrive by the thousand; an uncapped award on them is how points inflation and abuse start.', 'Add `cap N CURRENCY per day`.'),
 'W0508': ('Rationale: a reward that produces the event that triggered it repeats without end.', 'Add a `limit` or trigger on something else.'),
 'W0509': ('Rationale: operators must not reward self-excluded players; a policy guarantees it for every construct.', 'Add `block rewards when profile.self_excluded` to a policy.'),
 'W0510': ('Rationale: an item no player can afford is a broken promise in the store.', 'Lower the price or award the currency.'),
 'W0511': ('Rationale: marketing without consent breaks regulation in most markets.', 'Check `profile.marketing_opt_in` in the audience or block messages in a policy.'),
 'W0512': ('Rationale: a task whose filter or threshold excludes every event makes its mission impossible.', 'Fix the filter or threshold.'),
 'W0513': ('Rationale: a stale `quest:allow` would silence a future, different finding.', 'Remove the comment.'),
}
defs = re.findall(r'^QUEST_DIAG\((\w+),\s*"(\w+)",\s*(\w+),\s*"([^"]*)"\)', (ROOT/'compiler/diag/diagnostics.def').read_text(), re.M)
examples = {}
for f in sorted((ROOT/'tests/golden').rglob('*.quest')):
    text = f.read_text(errors='replace')
    for code in re.findall(r'CHECK: \w+\[(\w+)\]', text):
        if code not in examples and len(text) < 600:
            examples[code] = (f.relative_to(ROOT), text)
out = ['# Diagnostics', '',
       'Every finding `quest check` can report, by code. Codes are stable: never renumbered,',
       'never reused. `Q01xx` syntax, `Q02xx` names, `Q03xx` types, `Q04xx` semantic errors,',
       '`W05xx` lint warnings (`--werror` makes them fail; `// quest:allow CODE` on the line',
       'above silences one). A path that cannot be read is not a finding: `quest` says so on',
       'stderr and exits 2. Each example is the golden test that',
       'triggers the code; its `// CHECK:` lines show the expected finding.', '',
       'This file is generated by `scripts/gen_diagnostics_doc.py`; a test fails when a code',
       'lacks an entry or a golden test.', '',
       '## Output', '',
       'As text (the default), at most 100 findings of a file are shown, in source order;',
       'a line after the last one shown counts the rest:',
       '',
       '```',
       'rules.quest: 4900 more errors not shown (the first 100 findings of a file are; --max-per-file 0 shows all)',
       '```',
       '',
       'One mistake (a renamed event) can cause thousands of findings, and the first is the',
       'one to fix. `--max-per-file N` changes the cap (0: no cap). The summary on stderr',
       'and the exit code count every finding, shown or not.',
       '',
       '`--format json` and `--format sarif` carry every finding. Both are valid UTF-8',
       'whatever a file name holds: a byte that is not UTF-8 is U+FFFD in JSON strings.',
       'SARIF (2.1.0, valid against the official OASIS schema) says `"columnKind":',
       '"unicodeCodePoints"`: columns count characters, as in the text output. Its',
       'artifact URIs are percent-encoded (RFC 3986; every byte but letters, digits,',
       '`-._~` and `/`), so `a b#1/x.quest` is `a%20b%231/x.quest` and a byte 0xFF is',
       '`%FF`, which names the file exactly; an absolute path is a `file://` URI.', '']
for name, code, sev, title in defs:
    meaning, fix = MEANING.get(code, ('', ''))
    out += [f'## {code} {title}', '', f'*{sev.lower()}* — {meaning}', '', f'**Fix:** {fix}', '']
    if code in examples:
        path, text = examples[code]
        out += [f'Example (`{path}`):', '', '```', text.rstrip(), '```', '']
(ROOT/'docs/diagnostics.md').write_text('\n'.join(out) + '\n')
missing = [c for _, c, _, _ in defs if c not in MEANING]
print('documented', len(defs), 'codes; missing meanings:', missing)
