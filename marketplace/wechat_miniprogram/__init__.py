"""The mini program's WeChat sign-in as an allauth provider (``wechat_miniprogram``).

The mini program calls ``wx.login()`` and posts the code to allauth.headless's
``POST /_allauth/app/v1/auth/provider/token`` as
``{"provider": "wechat_miniprogram", "process": "login" | "connect",
"token": {"client_id": <AppID>, "access_token": <wx.login code>}}``. The provider exchanges the code at
WeChat's ``sns/jscode2session`` and answers a SocialLogin keyed on the openid. See docs/sign-in.md.
"""
