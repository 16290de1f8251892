"""Password change through avisdk the way the avi_useraccount Ansible module does it: a session with the old
password PUTs `useraccount` {old_password, password}; then the new password logs in and the old one does not;
a wrong old password is refused; and the change back."""

import common


def run():
    args = common.parse_args()
    s = common.Steps()
    new = args.password + '-2'
    api = common.session(args)
    s.step('change', lambda: common.answer(api.put('useraccount', data={'old_password': args.password, 'password': new})))
    s.step('login_new_password', lambda: common.answer(common.session(args, password=new).get('tenant'))['status'])
    s.step('login_old_password', lambda: common.session(args) and 'logged in')
    with_new = common.session(args, password=new)
    s.step('change_wrong_old_password', lambda: common.answer(with_new.put('useraccount', data={
        'old_password': 'not-the-password', 'password': 'Other-Passw0rd-3'})))
    s.step('login_after_refused_change', lambda: common.answer(common.session(args, password=new).get('tenant'))['status'])
    s.step('change_back', lambda: common.answer(with_new.put('useraccount', data={'old_password': new, 'password': args.password}))['status'])
    s.step('login_original_password', lambda: common.answer(common.session(args).get('tenant'))['status'])
    return s


common.main(run)
