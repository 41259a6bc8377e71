/* registry.c - every rule of this build, in report order. */
#include "xcheck/rule.h"

extern const xc_rule xc_rule_id_invalid, xc_rule_id_legacy, xc_rule_id_not_found,
    xc_rule_id_name_mismatch, xc_rule_dup_person, xc_rule_hh_no_self, xc_rule_hh_multi_self,
    xc_rule_hh_worker_not_member, xc_rule_mb_duplicate, xc_rule_hk_deceased, xc_rule_hk_moved,
    xc_rule_pr_commercial, xc_rule_pr_multi, xc_rule_vh_car, xc_rule_bz_role,
    xc_rule_in_enroll_high, xc_rule_in_exit_due, xc_rule_ex_wrong, xc_rule_ex_relapse,
    xc_rule_ex_publicity, xc_rule_ex_notice, xc_rule_ex_followup, xc_rule_ct_unpaired,
    xc_rule_ct_visits, xc_rule_pay_not_archived, xc_rule_pay_medical_over, xc_rule_pay_channel,
    xc_rule_cand_eligible;

static const xc_rule *const all[] = {
    &xc_rule_id_invalid, &xc_rule_id_legacy, &xc_rule_id_not_found, &xc_rule_id_name_mismatch,
    &xc_rule_dup_person, &xc_rule_hh_no_self, &xc_rule_hh_multi_self,
    &xc_rule_hh_worker_not_member, &xc_rule_mb_duplicate, &xc_rule_hk_deceased,
    &xc_rule_hk_moved, &xc_rule_pr_commercial, &xc_rule_pr_multi, &xc_rule_vh_car, &xc_rule_bz_role, &xc_rule_in_enroll_high,
    &xc_rule_in_exit_due, &xc_rule_ex_wrong, &xc_rule_ex_relapse, &xc_rule_ex_publicity,
    &xc_rule_ex_notice, &xc_rule_ex_followup, &xc_rule_ct_unpaired, &xc_rule_ct_visits,
    &xc_rule_pay_not_archived, &xc_rule_pay_medical_over, &xc_rule_pay_channel,
    &xc_rule_cand_eligible,
};

const xc_rule *const *xc_rules(size_t *ret_n)
{
    *ret_n = sizeof all / sizeof all[0];
    return all;
}
