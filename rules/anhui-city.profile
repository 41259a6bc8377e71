; xcheck policy profile: anhui-city (安徽省某市总工会; the seed does not name the city)
;
; The city union's 2019 action plan. Seed:
;   001 《全市城市困难职工解困脱困攻坚年实施方案》(2019)
; 001 defines exit (脱困) precisely and lists the data checks before
; archiving, but sets no asset criteria and no audit tolerances: where it is
; silent the value is the rules.md default and the comment says so.
;
; Copy this file and edit it to make your own profile: keep every section
; and key (an unknown key is an error), change only the values.
; Lists are comma-separated; money is in yuan; rates take a % sign.

[audit]
; 001 is silent on an audit window (it plans a 2019 攻坚年 with two visit
; rounds); rules.md default: 12 months ending at as_of.
period_months = 12

[income]
; 001 archives those "符合困难职工建档标准的" but states no income months;
; rules.md default.
enroll_months = 3
; 001 names no factor: 1.0 = the local 低保 standard (rules.md default).
enroll_factor = 1.0
; 001: 脱困 = "家庭人均收入连续６个月超过当地低保标准".
exit_months = 6
; 001: only "确认困难职工家庭生活确实脱困后，方可列入脱困档案", i.e. after
; the same 6 months above 低保.
wrong_exit_months = 6
; 001 asks for help to "因各种原因返贫致困职工" but gives no months;
; rules.md default.
relapse_months = 3

[property]
; 001: "对申请救助家庭户籍、社保、工商、房产、车辆等信息进行比对核查" -
; names the check, not the criterion; rules.md default.
residential_min = 2
; 001 (房产 check) names no usages; rules.md default.
commercial_usages = commercial, industrial

[vehicle]
; 001 (车辆 check, same sentence) names no kinds; rules.md default.
kinds = car, truck
; 001 sets no price floor; rules.md default.
min_price = 0

[business]
; 001 (工商 check, same sentence) names no roles; rules.md default.
roles = legal_rep, shareholder
; 001 sets no capital floor; rules.md default.
min_capital = 0

[thresholds]
; 001 aims at "建档全覆盖不遗漏" and publishes no audit tolerance; nor do
; the seeds give the 全国总工会 standard. 1% placeholders as in
; default.profile (above all of 004's Yunnan 2020 figures).
;
; 001 silent; placeholder.
mis_enrollment_max = 1%
; 001 silent; placeholder.
missed_exit_max = 1%
; 001 silent; placeholder.
wrong_exit_max = 1%
; 001: "建档全覆盖不遗漏" is an aim, not a tolerance; placeholder.
missed_enrollment_max = 1%
; 001: "将每个困难职工家庭与责任单位、联系人之间一一对应安排，确保建档困难
; 职工实现结对帮扶全覆盖".
pairing_coverage_min = 100%
; 001: "每月电话回访一次，每季度入户走访一次"; a duty for every household,
; no tolerance stated: 100%.
visit_compliance_min = 100%
