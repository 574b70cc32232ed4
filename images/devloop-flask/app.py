from flask import Flask
import os

app = Flask(__name__)

@app.route('/')
def hello():
    return f"""
    <h1>🐍 Flask Development Server</h1>
    <p>Edit this file and see changes instantly!</p>
    <p>Environment: {os.getenv('FLASK_ENV', 'production')}</p>
    """

if __name__ == '__main__':
    app.run(host='0.0.0.0', port=5000, debug=True)
