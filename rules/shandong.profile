; xcheck policy profile: shandong (山东省总工会)
;
; Shandong's contact-person system. Seed:
;   002 山东省总工会《关于建立健全困难职工联系人制度的意见》(2018年7月19日)
; 002 is about pairing and visits; it sets no income test, no exit months,
; no asset criteria and no audit tolerances: where it is silent the value is
; the rules.md default and the comment says so.
;
; Copy this file and edit it to make your own profile: keep every section
; and key (an unknown key is an error), change only the values.
; Lists are comma-separated; money is in yuan; rates take a % sign.

[audit]
; 002 asks for regular "定期考核、验收通报" but sets no window; rules.md
; default: 12 months ending at as_of.
period_months = 12

[income]
; 002 approves archiving "符合建档条件" without an income test; rules.md default.
enroll_months = 3
; 002 names no factor: 1.0 = the local 低保 standard (rules.md default).
enroll_factor = 1.0
; 002 moves households "已经达到脱困条件的" to the 解困脱困档案库 but does
; not define the condition; rules.md default 6 (001's definition).
exit_months = 6
; 002 silent on what must precede an exit; rules.md default.
wrong_exit_months = 6
; 002 silent on relapse; rules.md default.
relapse_months = 3

[property]
; 002 verifies "工商、住建、公安等部门数据比对的反馈结果" (住建: housing)
; but sets no criterion; rules.md default.
residential_min = 2
; 002 names no usages; rules.md default.
commercial_usages = commercial, industrial

[vehicle]
; 002's comparison includes 公安 data but names no vehicle kinds; rules.md default.
kinds = car, truck
; 002 sets no price floor; rules.md default.
min_price = 0

[business]
; 002's comparison includes 工商 data but names no roles; rules.md default.
roles = legal_rep, shareholder
; 002 sets no capital floor; rules.md default.
min_capital = 0

[thresholds]
; 002 publishes no audit tolerances, nor do the seeds give the 全国总工会
; standard. 1% placeholders as in default.profile (above all of 004's
; Yunnan 2020 figures).
;
; 002 silent; placeholder.
mis_enrollment_max = 1%
; 002 silent; placeholder.
missed_exit_max = 1%
; 002 silent; placeholder.
wrong_exit_max = 1%
; 002 silent; placeholder.
missed_enrollment_max = 1%
; 002: "推行每个困难职工家庭与所在单位、联系人之间的一一对应安排": every
; household has its contact person, i.e. full coverage.
pairing_coverage_min = 100%
; 002: "困难职工联系人每季度对困难职工家庭调查家访一次"; a duty for every
; household, no tolerance stated: 100%.
visit_compliance_min = 100%
