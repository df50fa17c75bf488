"""WeChat sign-in on the web and its link to the person's phone account (docs/sign-in.md).

- ``weixin.py``: allauth's weixin provider (QR login), reading WeChat's error answers.
- ``adapter.py``: the socialaccount adapter. An identity already linked signs in; a signed-in person can
  connect one; an unknown identity never makes a new account by itself: on the web it is sent to prove a
  phone number (``views.py``), through allauth.headless it is answered ``not_linked``.
- ``services.py``: the one write, linking an identity to the account with a proven phone number.
"""
